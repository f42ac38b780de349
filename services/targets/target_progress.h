// How far a district target is on a given day: its actual against the
// target value and against the straight-line pace for the day (序时进度),
// and its health by the rule and thresholds renewal projects use (AMBER
// from 10 points behind, RED from 30). Pure: no I/O.
//
// Two kinds of target:
// - amounts accrued over the year (征收签约59万平方米, 到资340亿元): the actual
//   is the year's total so far, and the pace is the share of the year gone;
// - levels (growth rates, shares, coverage in %, and every ceiling such as
//   失业率4%以内 or PM2.5低于33): the latest value counts, the pace is the
//   whole target, and a ceiling is kept or broken;
// - levels climbing from a starting level the report gives (数字经济企业
//   from 545 to 超600家): progress is the share of the way from the start
//   to the target, against the share of the year gone.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_PROGRESS_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_PROGRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::targets {

enum class TargetHealth { kGreen, kAmber, kRed };

// Points behind the pace from which a target is AMBER, and RED. A broken
// ceiling is AMBER, and RED once it is broken by `amber_lag_points` percent
// or more.
struct ProgressThresholds {
  double amber_lag_points = 10;
  double red_lag_points = 30;
};

struct TargetProgress {
  // actual ÷ target × 100, one decimal.
  double percent_of_target = 0;
  // Where the straight line stands on the day, percent of the target.
  double pace_percent = 0;
  TargetHealth health = TargetHealth::kGreen;
  // Why, in one line.
  std::string reason;
};

// Whether `target` is a level (a rate in %, or any ceiling) rather than an
// amount accrued over its year.
bool IsLevelTarget(const portfolio::v1::Target& target);

// The progress of `target` with `actual` (a decimal in its unit) as of
// `day`; INVALID_ARGUMENT when either value is not a decimal.
absl::StatusOr<TargetProgress> AssessProgress(const portfolio::v1::Target& target,
                                              const std::string& actual, absl::CivilDay day,
                                              const ProgressThresholds& thresholds);

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_PROGRESS_H_
