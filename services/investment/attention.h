// A lead's attention (see the Attention enum in investment.proto for the
// rule): computed from its stage, dates and activity on a given day, never
// typed in.
#ifndef JIANGAN_SERVICES_INVESTMENT_ATTENTION_H_
#define JIANGAN_SERVICES_INVESTMENT_ATTENTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::investment {

// The service rules' limits (service flags), in days.
struct AttentionLimits {
  int first_response_days = 1;
  int assessment_days = 3;
  int feedback_days = 7;
  int report_interval_days = 14;
  int stage_median_factor = 3;
  // Leads that must have left a stage before its median counts.
  int min_stage_sample = 5;
};

// What the rule reads of a lead; days are day numbers (DayNumber()).
struct AttentionInputs {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  int64_t create_day = 0;
  int64_t stage_enter_day = 0;
  int32_t activity_count = 0;
  std::optional<int64_t> last_activity_day;
  std::optional<int64_t> next_follow_up_day;
  // Median days leads spent in this stage before leaving it, and how many
  // left it; nullopt when unknown.
  std::optional<int64_t> stage_median_days;
  int64_t stage_sample = 0;
};

struct AttentionAssessment {
  v1::Attention attention = v1::ATTENTION_UNSPECIFIED;
  // One line per finding, for Lead.attention_reasons.
  std::vector<std::string> reasons;
};

// The inputs of a stored lead; the median comes from the store.
AttentionInputs AttentionInputsOf(const v1::Lead& lead);

AttentionAssessment AssessAttention(const AttentionInputs& inputs, int64_t today,
                                    const AttentionLimits& limits);

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_ATTENTION_H_
