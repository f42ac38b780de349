#include "services/targets/target_progress.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

double OneDecimal(double value) { return std::round(value * 10) / 10; }

// The share of `year` gone by the end of `day`, percent.
double YearElapsedPercent(int year, absl::CivilDay day) {
  const absl::CivilDay first(year, 1, 1);
  const absl::CivilDay next(year + 1, 1, 1);
  if (day < first) return 0;
  if (day >= next) return 100;
  return 100.0 * static_cast<double>(day - first + 1) / static_cast<double>(next - first);
}

TargetHealth ByLag(double lag, const ProgressThresholds& thresholds) {
  if (lag >= thresholds.red_lag_points) return TargetHealth::kRed;
  if (lag >= thresholds.amber_lag_points) return TargetHealth::kAmber;
  return TargetHealth::kGreen;
}

}  // namespace

bool IsLevelTarget(const v1::Target& target) {
  return target.unit() == "%" || target.bound() == v1::AT_MOST;
}

absl::StatusOr<TargetProgress> AssessProgress(const v1::Target& target, const std::string& actual,
                                              absl::CivilDay day,
                                              const ProgressThresholds& thresholds) {
  double goal = 0;
  double value = 0;
  if (!absl::SimpleAtod(target.target_value(), &goal) || !std::isfinite(goal) || goal < 0) {
    return absl::InvalidArgumentError(absl::StrCat(target.name(), ": target_value \"",
                                                   target.target_value(), "\" is not a decimal"));
  }
  if (!absl::SimpleAtod(actual, &value) || !std::isfinite(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(target.name(), ": actual \"", actual, "\" is not a decimal"));
  }
  TargetProgress progress;
  progress.percent_of_target = goal > 0 ? OneDecimal(100 * value / goal) : 100;
  double start = 0;
  const bool climbs = target.has_starting_level() && target.bound() != v1::AT_MOST;
  if (climbs) {
    if (!absl::SimpleAtod(target.starting_level().value(), &start) || !std::isfinite(start) ||
        start >= goal) {
      return absl::InvalidArgumentError(absl::StrCat(
          target.name(), ": starting_level \"", target.starting_level().value(),
          "\" is not a decimal below the target"));
    }
    // The way from the start to the target, not the whole height.
    progress.percent_of_target = OneDecimal(100 * (value - start) / (goal - start));
  }
  if (target.bound() == v1::AT_MOST) {
    // A ceiling is kept or broken; how far above it decides how bad.
    progress.pace_percent = 100;
    const double over = goal > 0 ? 100 * (value - goal) / goal : (value > 0 ? 100 : 0);
    if (over <= 0) {
      progress.reason = absl::StrFormat("%s %s, within the ceiling of %s", actual, target.unit(),
                                        target.target_value());
    } else {
      progress.health = over >= thresholds.amber_lag_points ? TargetHealth::kRed
                                                             : TargetHealth::kAmber;
      progress.reason = absl::StrFormat("%s %s, %.1f%% above the ceiling of %s", actual,
                                        target.unit(), over, target.target_value());
    }
    return progress;
  }
  progress.pace_percent = IsLevelTarget(target) && !climbs
                              ? 100
                              : OneDecimal(YearElapsedPercent(target.year(), day));
  const double lag = progress.pace_percent - progress.percent_of_target;
  // "About" a figure misses it either way.
  const double miss = target.bound() == v1::ABOUT ? std::abs(lag) : lag;
  progress.health = ByLag(miss, thresholds);
  if (progress.percent_of_target >= 100 && target.bound() != v1::ABOUT) {
    progress.health = TargetHealth::kGreen;
    progress.reason = absl::StrFormat("reached: %.1f%% of the target", progress.percent_of_target);
  } else if (lag > 0) {
    progress.reason =
        absl::StrFormat("%.1f%% of the target against a pace of %.1f%%: %.1f points behind",
                        progress.percent_of_target, progress.pace_percent, lag);
  } else {
    progress.reason = absl::StrFormat("%.1f%% of the target against a pace of %.1f%%: on pace",
                                      progress.percent_of_target, progress.pace_percent);
  }
  return progress;
}

}  // namespace jiangan::targets
