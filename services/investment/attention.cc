#include "services/investment/attention.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"

namespace jiangan::investment {
namespace {

std::optional<int64_t> DayOf(const type::v1::Date& date) {
  auto day = ToCivilDay(date);
  if (!day.has_value()) return std::nullopt;
  return DayNumber(*day);
}

int64_t DayOf(const google::protobuf::Timestamp& time) {
  return DayNumber(ChinaDayOf(absl::FromUnixSeconds(time.seconds())));
}

}  // namespace

AttentionInputs AttentionInputsOf(const v1::Lead& lead) {
  AttentionInputs inputs;
  inputs.stage = lead.stage();
  inputs.create_day = DayOf(lead.create_time());
  inputs.stage_enter_day = lead.stage_history().empty()
                               ? inputs.create_day
                               : DayOf(lead.stage_history().rbegin()->enter_time());
  inputs.activity_count = lead.activity_count();
  inputs.last_activity_day = DayOf(lead.last_activity_date());
  inputs.next_follow_up_day = DayOf(lead.next_follow_up_date());
  return inputs;
}

AttentionAssessment AssessAttention(const AttentionInputs& inputs, int64_t today,
                                    const AttentionLimits& limits) {
  AttentionAssessment result;
  if (inputs.stage == v1::OPERATING || inputs.stage == v1::LOST ||
      inputs.stage == v1::STAGE_UNSPECIFIED) {
    return result;
  }
  v1::Attention worst = v1::GREEN;
  // A finding `days` past its start against `limit`: AMBER past the limit,
  // RED past twice the limit.
  auto check = [&](int64_t days, int64_t limit, const std::string& what) {
    if (days <= limit) return;
    worst = std::max(worst, days > 2 * limit ? v1::RED : v1::AMBER);
    result.reasons.push_back(absl::StrCat(what, " (", days, " days)"));
  };
  const int64_t since_creation = today - inputs.create_day;
  const int64_t in_stage = today - inputs.stage_enter_day;
  if (inputs.activity_count == 0) {
    check(since_creation, limits.first_response_days,
          absl::StrCat("first response: no activity within ", limits.first_response_days,
                       " day(s) of creation"));
  }
  if (inputs.stage == v1::LEAD) {
    check(since_creation, limits.assessment_days,
          absl::StrCat("assessment: still a LEAD ", limits.assessment_days,
                       " days after creation"));
  }
  if (inputs.stage == v1::CONTACTED &&
      (!inputs.last_activity_day.has_value() ||
       *inputs.last_activity_day < inputs.stage_enter_day)) {
    check(in_stage, limits.feedback_days,
          absl::StrCat("feedback: no activity within ", limits.feedback_days,
                       " days of entering CONTACTED"));
  }
  const int64_t quiet = today - inputs.last_activity_day.value_or(inputs.create_day);
  check(quiet, limits.report_interval_days,
        absl::StrCat("reporting: no activity for more than ", limits.report_interval_days,
                     " days"));
  if (inputs.next_follow_up_day.has_value() && *inputs.next_follow_up_day < today) {
    const int64_t overdue = today - *inputs.next_follow_up_day;
    worst = std::max(worst, overdue > limits.report_interval_days ? v1::RED : v1::AMBER);
    result.reasons.push_back(absl::StrCat("follow-up: overdue by ", overdue, " days"));
  }
  if (inputs.stage_median_days.has_value() && inputs.stage_sample >= limits.min_stage_sample) {
    const int64_t limit = limits.stage_median_factor * std::max<int64_t>(*inputs.stage_median_days, 1);
    check(in_stage, limit,
          absl::StrCat("time in stage: more than ", limits.stage_median_factor,
                       " times the median ", *inputs.stage_median_days, " days in ",
                       v1::Stage_Name(inputs.stage)));
  }
  result.attention = worst;
  return result;
}

}  // namespace jiangan::investment
