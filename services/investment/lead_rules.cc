#include "services/investment/lead_rules.h"

#include <optional>

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/investment/company_name.h"

namespace jiangan::investment {
namespace {

const OutputOnlyFields& LeadOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name",           "lost_from_stage",        "stage_history",     "major_project",
      "arrived_investment_yuan", "activity_count", "last_activity_date", "next_follow_up_date",
      "attention",      "attention_reasons",      "create_time",       "update_time",
      "delete_time",    "creator",                "updater",           "etag",
      "company.normalized_name"};
  return *fields;
}

absl::Status CheckNames(absl::string_view field, const google::protobuf::RepeatedPtrField<std::string>& names,
                        int max_count) {
  if (names.size() > max_count) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", max_count, ", got ", names.size()));
  }
  for (int i = 0; i < names.size(); ++i) {
    RETURN_IF_ERROR(CheckLength(absl::StrCat(field, "[", i, "]"), names[i], 1, 50));
  }
  return absl::OkStatus();
}

absl::Status CheckPhone(absl::string_view phone) {
  if (phone.empty()) return absl::OkStatus();
  bool shaped = phone.size() >= 6 && phone.size() <= 20;
  for (char c : phone) {
    shaped = shaped && ((c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' ||
                        c == '(' || c == ')');
  }
  if (!shaped) {
    return absl::InvalidArgumentError(
        "lead.company.contact_phone: must be 6 to 20 digits, spaces, '+', '-' or parentheses");
  }
  return absl::OkStatus();
}

absl::Status CheckCompany(const v1::Company& company) {
  RETURN_IF_ERROR(FirstError({
      CheckLength("lead.company.name", company.name(), 0, 200),
      CheckNotNegative("lead.company.registered_capital_yuan", company.registered_capital_yuan()),
      CheckLength("lead.company.parent_group", company.parent_group(), 0, 200),
      CheckLength("lead.company.contact_person", company.contact_person(), 0, 50),
      CheckPhone(company.contact_phone()),
  }));
  if (!company.uscc().empty()) RETURN_IF_ERROR(CheckUscc("lead.company.uscc", company.uscc()));
  return absl::OkStatus();
}

// A channel's source field: required with its channel, refused with others.
absl::Status CheckChannelDetail(const v1::Lead& lead, v1::Channel channel,
                                absl::string_view field, const std::string& value,
                                size_t max_chars) {
  const std::string path = absl::StrCat("lead.", field);
  if (lead.channel() == channel) {
    return CheckLength(path, value, 1, max_chars);
  }
  if (!value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": only with channel ", v1::Channel_Name(channel), ", not ",
        v1::Channel_Name(lead.channel())));
  }
  return absl::OkStatus();
}

absl::Status CheckRate(absl::string_view field, int64_t usd, int64_t rate) {
  if (usd == 0) return absl::OkStatus();
  if (rate < 10000 || rate > 200000) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": the CNY-per-USD rate in ten-thousandths must be 10000 to 200000 with a US "
               "dollar amount, got ", rate));
  }
  return absl::OkStatus();
}

absl::Status CheckTeam(const v1::Team& team) {
  return FirstError({
      CheckLength("lead.team.district_leader", team.district_leader(), 0, 50),
      CheckNames("lead.team.stationed_cadres", team.stationed_cadres(), 3),
      CheckNames("lead.team.back_office", team.back_office(), 50),
  });
}

absl::Status MissingFact(const v1::Lead& lead, absl::string_view fact) {
  return absl::FailedPreconditionError(absl::StrCat(
      "lead.", fact, ": is required in stage ", v1::Stage_Name(lead.stage()),
      "; see the facts each Stage requires"));
}

// The stage whose facts apply: a lost lead keeps those of the stage it left.
int EffectiveStage(const v1::Lead& lead) {
  return lead.stage() == v1::LOST ? lead.lost_from_stage() : lead.stage();
}

}  // namespace

absl::Status ValidateLead(const v1::Lead& lead, absl::CivilDay today) {
  RETURN_IF_ERROR(FirstError({
      CheckLength("lead.display_name", lead.display_name(), 1, 200),
      CheckEnum("lead.industry", lead.industry(), v1::Industry_IsValid, true),
      CheckEnum("lead.channel", lead.channel(), v1::Channel_IsValid, false),
      CheckEnum("lead.stage", lead.stage(), v1::Stage_IsValid, true),
      CheckLength("lead.description", lead.description(), 0, 4000),
      CheckLength("lead.planned_site", lead.planned_site(), 0, 200),
      CheckLength("lead.owner_department", lead.owner_department(), 0, 100),
      CheckLength("lead.lost_reason", lead.lost_reason(), 0, 1000),
      CheckNotNegative("lead.intended_investment_yuan", lead.intended_investment_yuan()),
      CheckNotNegative("lead.signed_investment_yuan", lead.signed_investment_yuan()),
      CheckNotNegative("lead.signed_investment_usd", lead.signed_investment_usd()),
  }));
  RETURN_IF_ERROR(CheckCompany(lead.company()));
  RETURN_IF_ERROR(FirstError({
      CheckChannelDetail(lead, v1::STATIONED_TEAM, "station_city", lead.station_city(), 50),
      CheckChannelDetail(lead, v1::BUSINESS_REFERRAL, "referring_company",
                         lead.referring_company(), 200),
      CheckChannelDetail(lead, v1::FUND, "fund", lead.fund(), 200),
      CheckChannelDetail(lead, v1::BUILDING, "building", lead.building(), 200),
      CheckTeam(lead.team()),
      CheckPastDate("lead.agreement_date", lead.agreement_date(), today),
      CheckPastDate("lead.registration_date", lead.registration_date(), today),
      CheckRate("lead.usd_cny_rate_e4", lead.signed_investment_usd(), lead.usd_cny_rate_e4()),
  }));
  if (lead.signed_investment_usd() > 0 && !lead.foreign_invested()) {
    return absl::InvalidArgumentError(
        "lead.signed_investment_usd: only for a foreign_invested lead");
  }
  if (!lead.renewal_project().empty()) {
    RETURN_IF_ERROR(
        ParseResourceName(lead.renewal_project(), "projects", "lead.renewal_project").status());
  }
  return absl::OkStatus();
}

absl::Status CheckStageTransition(const v1::Lead& before, v1::Stage to) {
  const v1::Stage from = before.stage();
  if (from == to) return absl::OkStatus();
  bool allowed = false;
  if (to == v1::LOST) {
    allowed = from != v1::OPERATING;
  } else if (from == v1::LOST) {
    allowed = to == before.lost_from_stage();
  } else {
    allowed = to > from;  // forward, one or more steps
  }
  if (allowed) return absl::OkStatus();
  std::string why = "; see the allowed transitions of Stage";
  if (from == v1::LOST) {
    why = absl::StrCat("; a lost lead reopens to the stage it was lost from, ",
                       v1::Stage_Name(before.lost_from_stage()));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "lead.stage: cannot go from ", v1::Stage_Name(from), " to ", v1::Stage_Name(to), why));
}

absl::Status CheckStageFacts(const v1::Lead& lead) {
  if (lead.stage() == v1::LOST && lead.lost_reason().empty()) {
    return MissingFact(lead, "lost_reason");
  }
  const int stage = EffectiveStage(lead);
  if (stage >= v1::CONTACTED && lead.company().name().empty()) {
    return MissingFact(lead, "company.name");
  }
  if (stage >= v1::SIGNED) {
    if (IsEmptyDate(lead.agreement_date())) return MissingFact(lead, "agreement_date");
    if (lead.signed_investment_yuan() <= 0) return MissingFact(lead, "signed_investment_yuan");
  }
  if (stage >= v1::REGISTERED) {
    if (lead.company().uscc().empty()) return MissingFact(lead, "company.uscc");
    if (IsEmptyDate(lead.registration_date())) return MissingFact(lead, "registration_date");
  }
  if (stage >= v1::FUNDS_ARRIVING && lead.arrived_investment_yuan() <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "lead.stage: ", v1::Stage_Name(lead.stage()),
        " needs funds arrived; record them with RecordFunds first"));
  }
  return absl::OkStatus();
}

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask) {
  return jiangan::CheckUpdateMask(mask, v1::Lead::descriptor(), LeadOutputOnly());
}

void ClearOutputOnlyFields(v1::Lead* lead) { ClearOutputOnly(LeadOutputOnly(), lead); }

absl::CivilDay StageEnterDay(const v1::Lead& lead, const v1::StageChange& change) {
  const type::v1::Date* happened = change.stage() == v1::SIGNED       ? &lead.agreement_date()
                                   : change.stage() == v1::REGISTERED ? &lead.registration_date()
                                                                      : nullptr;
  if (happened != nullptr) {
    if (std::optional<absl::CivilDay> day = ToCivilDay(*happened); day.has_value()) return *day;
  }
  return ChinaDayOf(absl::FromUnixSeconds(change.enter_time().seconds()));
}

void ApplyConsequences(const v1::Lead* before, absl::Time now, v1::Lead* lead) {
  lead->mutable_company()->set_normalized_name(NormalizeCompanyName(lead->company().name()));
  lead->set_major_project(lead->signed_investment_yuan() >= kMajorProjectYuan);
  const bool stage_changed = before == nullptr || before->stage() != lead->stage();
  if (!stage_changed) return;
  v1::StageChange* change = lead->add_stage_history();
  change->set_stage(lead->stage());
  *change->mutable_enter_time() = TimestampOf(now);
  if (lead->stage() == v1::LOST && before != nullptr) {
    lead->set_lost_from_stage(before->stage());
  } else if (lead->stage() != v1::LOST) {
    lead->clear_lost_from_stage();
    lead->clear_lost_reason();
  }
}

absl::Status ValidateFundsEntry(const v1::FundsEntry& entry, const v1::Lead& lead,
                                absl::CivilDay today) {
  if (IsEmptyDate(entry.arrival_date())) {
    return absl::InvalidArgumentError("funds_entry.arrival_date: is required");
  }
  RETURN_IF_ERROR(FirstError({
      CheckPastDate("funds_entry.arrival_date", entry.arrival_date(), today),
      CheckLength("funds_entry.note", entry.note(), 0, 1000),
      CheckRate("funds_entry.usd_cny_rate_e4", entry.amount_usd(), entry.usd_cny_rate_e4()),
  }));
  if (entry.amount_yuan() == 0) {
    return absl::InvalidArgumentError("funds_entry.amount_yuan: must not be zero");
  }
  if (entry.amount_yuan() < 0 && !entry.correction()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "funds_entry.amount_yuan: ", entry.amount_yuan(),
        " is negative; only an entry marked correction may subtract"));
  }
  if (entry.amount_usd() != 0 && (entry.amount_usd() < 0) != (entry.amount_yuan() < 0)) {
    return absl::InvalidArgumentError(
        "funds_entry.amount_usd: must have the same sign as amount_yuan");
  }
  if (entry.amount_usd() != 0 && !lead.foreign_invested()) {
    return absl::InvalidArgumentError("funds_entry.amount_usd: only for a foreign_invested lead");
  }
  if (lead.stage() != v1::REGISTERED && lead.stage() != v1::FUNDS_ARRIVING &&
      lead.stage() != v1::OPERATING) {
    return absl::FailedPreconditionError(absl::StrCat(
        "parent: ", lead.name(), " is in stage ", v1::Stage_Name(lead.stage()),
        "; funds are recorded from REGISTERED on"));
  }
  int64_t total = 0;
  if (__builtin_add_overflow(lead.arrived_investment_yuan(), entry.amount_yuan(), &total)) {
    return absl::OutOfRangeError(
        "funds_entry.amount_yuan: the lead's total would exceed the int64 range");
  }
  if (total < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "funds_entry.amount_yuan: the correction would take the lead's arrived total ",
        lead.arrived_investment_yuan(), " below zero"));
  }
  return absl::OkStatus();
}

absl::Status ValidateActivity(const v1::Activity& activity, absl::CivilDay today) {
  if (IsEmptyDate(activity.date())) {
    return absl::InvalidArgumentError("activity.date: is required");
  }
  RETURN_IF_ERROR(FirstError({
      CheckEnum("activity.kind", activity.kind(), v1::ActivityKind_IsValid, true),
      CheckPastDate("activity.date", activity.date(), today),
      CheckNames("activity.participants", activity.participants(), 20),
      CheckLength("activity.summary", activity.summary(), 1, 4000),
      CheckDate("activity.next_follow_up_date", activity.next_follow_up_date()),
  }));
  auto follow_up = ToCivilDay(activity.next_follow_up_date());
  if (follow_up.has_value() && *follow_up < *ToCivilDay(activity.date())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "activity.next_follow_up_date: ", FormatDate(activity.next_follow_up_date()),
        " is before activity.date ", FormatDate(activity.date())));
  }
  return absl::OkStatus();
}

void ApplyActivity(const v1::Activity& activity, v1::Lead* lead) {
  lead->set_activity_count(lead->activity_count() + 1);
  const absl::CivilDay day = *ToCivilDay(activity.date());
  auto last = ToCivilDay(lead->last_activity_date());
  if (!last.has_value() || day > *last) *lead->mutable_last_activity_date() = activity.date();
  if (!IsEmptyDate(activity.next_follow_up_date())) {
    *lead->mutable_next_follow_up_date() = activity.next_follow_up_date();
  } else if (auto pending = ToCivilDay(lead->next_follow_up_date());
             pending.has_value() && day >= *pending) {
    lead->clear_next_follow_up_date();  // the follow-up happened
  }
}

bool MaySeePersonalInformation(const Identity& caller, const v1::Lead& lead) {
  return caller.role == Role::kAdmin ||
         (!caller.department.empty() && caller.department == lead.owner_department());
}

}  // namespace jiangan::investment
