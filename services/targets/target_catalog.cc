#include "services/targets/target_catalog.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/file_util.h"
#include "common/base/resource_name.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "services/targets/target_rule.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

}  // namespace

const OutputOnlyFields kTargetOutputOnly = {
    "actual_value",  "percent_of_target", "pace_percent",     "health",
    "health_reason", "breakdown",         "as_of",            "reported_value",
    "evidence",      "trend",             "unreachable",      "adjustment_value",
    "responsible_department_source",      "previous_result",  "etag"};

absl::Status CheckCatalogTarget(const v1::Target& target) {
  RETURN_IF_ERROR(ParseResourceName(target.name(), "targets", "name").status());
  auto missing = [](const char* field) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  };
  if (target.display_name().empty()) return missing("display_name");
  if (target.source_quote().empty()) return missing("source_quote");
  if (target.unit().empty()) return missing("unit");
  if (target.year() < 2000 || target.year() > 2100) {
    return absl::InvalidArgumentError(
        absl::StrCat("year: must be 2000 to 2100, got ", target.year()));
  }
  if (!IsDecimal(target.target_value())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "target_value: must be a non-negative decimal, got \"", target.target_value(), "\""));
  }
  if (target.bound() == v1::BOUND_UNSPECIFIED) return missing("bound");
  if (target.has_starting_level()) {
    const v1::StartingLevel& start = target.starting_level();
    if (!IsDecimal(start.value())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "starting_level.value: must be a non-negative decimal, got \"", start.value(), "\""));
    }
    double from = 0, to = 0;
    if (!absl::SimpleAtod(start.value(), &from) || !absl::SimpleAtod(target.target_value(), &to) ||
        from >= to || target.bound() == v1::AT_MOST) {
      return absl::InvalidArgumentError(
          "starting_level.value: must lie below the target value of a target that is not a "
          "ceiling");
    }
    if (start.source_quote().empty()) return missing("starting_level.source_quote");
    if (!ToCivilDay(start.as_of()).has_value() || start.as_of().year() >= target.year()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "starting_level.as_of: must be a day before ", target.year(), ", the target's year"));
    }
  }
  switch (target.measurement()) {
    case v1::COMPUTED: {
      const auto* end = std::end(kMeasuringServices);
      if (std::find(std::begin(kMeasuringServices), end, target.measured_by()) == end) {
        return absl::InvalidArgumentError(absl::StrCat(
            "measured_by: a COMPUTED target names renewal, investment or facilities, got \"",
            target.measured_by(), "\""));
      }
      if (target.rule().empty()) return missing("rule");
      if (target.rule_text().empty()) return missing("rule_text");
      ASSIGN_OR_RETURN(const TargetRule rule, ParseTargetRule(target.rule()));
      if (!target.adjustment_text().empty() && rule.divisor != 1) {
        return absl::InvalidArgumentError(
            "adjustment_text: adjustments are whole numbers, added to a rule that divides "
            "nothing");
      }
      return absl::OkStatus();
    }
    case v1::REPORTED:
      if (!target.measured_by().empty() || !target.rule().empty() ||
          !target.adjustment_text().empty()) {
        return absl::InvalidArgumentError(
            "measured_by: a REPORTED target has no measuring service, rule or adjustment");
      }
      return absl::OkStatus();
    default:
      return missing("measurement");
  }
}

absl::Status CheckCatalogLinks(absl::Span<const v1::Target> catalog) {
  absl::flat_hash_map<std::string, const v1::Target*> by_name;
  for (const v1::Target& target : catalog) {
    if (!by_name.emplace(target.name(), &target).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(target.name(), ": the name is taken by another target"));
    }
  }
  for (const v1::Target& target : catalog) {
    if (target.previous_target().empty()) continue;
    auto it = by_name.find(target.previous_target());
    if (it == by_name.end() || it->second->year() != target.year() - 1 ||
        it->second->unit() != target.unit()) {
      return absl::InvalidArgumentError(absl::StrCat(
          target.name(), ": previous_target \"", target.previous_target(),
          "\" must name a target of ", target.year() - 1, " in the same unit (", target.unit(),
          ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListTargetsResponse> LoadTargetCatalog(const std::string& path) {
  v1::ListTargetsResponse catalog;
  RETURN_IF_ERROR(ReadJsonFile(path, &catalog));
  absl::flat_hash_set<std::string> seen;
  for (int i = 0; i < catalog.targets_size(); ++i) {
    const v1::Target& target = catalog.targets(i);
    if (absl::Status checked = CheckCatalogTarget(target); !checked.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": targets[", i, "] (", target.name(),
                                                     ") ", checked.message()));
    }
    if (!seen.insert(target.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": targets[", i, "] ", target.name(), " is listed twice"));
    }
  }
  return catalog;
}

}  // namespace jiangan::targets
