#include "gateway/method_plan.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/personal_information.h"
#include "google/protobuf/descriptor.pb.h"
#include "jiangan/type/v1/caching.pb.h"
#include "google/protobuf/message.h"

namespace jiangan::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The singular string field `field_name` of `type`, or null.
const FieldDescriptor* StringField(const google::protobuf::Descriptor* type,
                                   const char* field_name) {
  const FieldDescriptor* field = type->FindFieldByName(field_name);
  if (field == nullptr || field->is_repeated() ||
      field->type() != FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return field;
}

std::string StringOf(const Message& message, const char* field_name) {
  const FieldDescriptor* field = StringField(message.GetDescriptor(), field_name);
  return field ? message.GetReflection()->GetString(message, field) : std::string();
}

std::string NameOf(const Message& message) { return StringOf(message, "name"); }

}  // namespace

MethodPlan PlanMethod(const google::protobuf::MethodDescriptor* method) {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  MethodPlan plan;
  plan.service = method->service()->full_name();
  plan.path = absl::StrCat("/", plan.service, "/", method->name());
  plan.request_prototype = factory->GetPrototype(method->input_type());
  plan.response_prototype = factory->GetPrototype(method->output_type());
  plan.kind = KindOf(method);
  plan.per_caller_view = CarriesPersonalInformation(method->output_type());
  if (plan.kind == MethodPlan::Kind::kCachedAnswer) {
    const type::v1::CachedAnswers& answers =
        method->options().GetExtension(type::v1::cached_answers);
    plan.answer_group = answers.group();
    plan.daily_answers = answers.daily();
  }
  if (plan.kind == MethodPlan::Kind::kWrite) {
    const google::protobuf::ServiceOptions& options = method->service()->options();
    for (int i = 0; i < options.ExtensionSize(type::v1::invalidates_answers); ++i) {
      plan.invalidated_groups.push_back(options.GetExtension(type::v1::invalidates_answers, i));
    }
  }
  return plan;
}

MethodPlan::Kind KindOf(const google::protobuf::MethodDescriptor* method) {
  const std::string& name = method->name();
  // A group with a '/' could be a resource name, whose entry a write of
  // that resource would drop alone.
  const std::string& group = method->options().GetExtension(type::v1::cached_answers).group();
  if (!group.empty() && !absl::StrContains(group, '/')) return MethodPlan::Kind::kCachedAnswer;
  if (absl::StartsWith(name, "Get") && StringField(method->input_type(), "name") != nullptr) {
    return MethodPlan::Kind::kCachedRead;
  }
  if (absl::StartsWith(name, "List") || absl::StartsWith(name, "Search") ||
      absl::StartsWith(name, "Find") || absl::StartsWith(name, "Summarize") ||
      absl::StartsWith(name, "BatchGet") ||
      method->options().idempotency_level() == google::protobuf::MethodOptions::NO_SIDE_EFFECTS) {
    return MethodPlan::Kind::kRead;
  }
  return MethodPlan::Kind::kWrite;
}

std::string CallerView(const MethodPlan& plan, const Identity& caller) {
  if (!plan.per_caller_view) return "";
  if (caller.role == Role::kAdmin) return "admin";
  return absl::StrCat("department:", caller.department);
}

bool MayRepeat(const MethodPlan& plan, const Message& request) {
  return plan.kind != MethodPlan::Kind::kWrite || !StringOf(request, "request_id").empty();
}

std::optional<CacheSlot> CacheSlotOf(const MethodPlan& plan, const Message& request,
                                     const std::string& serialized, const Identity& caller,
                                     absl::CivilDay today) {
  switch (plan.kind) {
    case MethodPlan::Kind::kCachedRead: {
      std::string name = NameOf(request);
      if (name.empty()) return std::nullopt;
      return CacheSlot{std::move(name), CallerView(plan, caller)};
    }
    case MethodPlan::Kind::kCachedAnswer:
      return CacheSlot{plan.answer_group,
                       absl::StrCat(plan.path, "|",
                                    plan.daily_answers ? FormatDate(FromCivilDay(today)) : "",
                                    "|", CallerView(plan, caller), "|", serialized)};
    default:
      return std::nullopt;
  }
}

bool IsPartial(const Message& response) {
  const FieldDescriptor* field = response.GetDescriptor()->FindFieldByName("unreachable");
  return field != nullptr && field->is_repeated() &&
         field->type() == FieldDescriptor::TYPE_STRING &&
         response.GetReflection()->FieldSize(response, field) > 0;
}

std::vector<std::string> WrittenNames(const Message& request, const Message& response) {
  std::vector<std::string> names;
  auto add = [&names](std::string name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  };
  add(NameOf(request));
  // A write on a child collection (e.g. ReportProgress) changes its parent.
  add(StringOf(request, "parent"));
  const auto* descriptor = request.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_repeated() &&
        request.GetReflection()->HasField(request, field)) {
      add(NameOf(request.GetReflection()->GetMessage(request, field)));
    }
  }
  add(NameOf(response));
  return names;
}

}  // namespace jiangan::gateway
