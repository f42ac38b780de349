#include "gateway/method_plan.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/personal_information.h"
#include "google/protobuf/descriptor.pb.h"
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
  return plan;
}

MethodPlan::Kind KindOf(const google::protobuf::MethodDescriptor* method) {
  const std::string& name = method->name();
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

std::string RequestedName(const Message& request) { return NameOf(request); }

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
