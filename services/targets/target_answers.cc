#include "services/targets/target_answers.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/base/resource_name.h"
#include "common/base/status.h"
#include "common/base/status_macros.h"
#include "services/targets/assignment_rules.h"
#include "services/targets/target_filter.h"
#include "services/targets/target_report.h"

namespace jiangan::targets {
namespace {

namespace v1 = portfolio::v1;

using Departments = absl::flat_hash_map<std::string, std::string>;

// Sets who answers for `target`, from the departments `assigned` last.
void SetAnswerableFrom(const Departments& assigned, v1::Target* target) {
  auto it = assigned.find(target->name());
  SetAnswerable(it == assigned.end() ? nullptr : &it->second, target);
}

// Whether values are recorded for `target`: a REPORTED one's values, or a
// COMPUTED one's adjustments.
bool TakesValues(const v1::Target& target) {
  return target.measurement() == v1::REPORTED || !target.adjustment_text().empty();
}

// The day a target's actual is read for: today, within the target's year.
absl::CivilDay ReadDay(const v1::Target& target, absl::CivilDay today) {
  return std::clamp(today, absl::CivilDay(target.year(), 1, 1),
                    absl::CivilDay(target.year(), 12, 31));
}

// The last day of `month` of `year`, or `as_of` in its own month.
absl::CivilDay MonthEnd(int year, int month, absl::CivilDay as_of) {
  const absl::CivilDay end = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  return std::min(end, as_of);
}

// The rule's whole-number figure `computed` with the standing `adjustment`
// (a whole number; null: none) added.
std::string WithAdjustment(const std::string& computed, const TargetValue* adjustment) {
  int64_t figure = 0, added = 0, sum = 0;
  if (adjustment == nullptr || !absl::SimpleAtoi(computed, &figure) ||
      !absl::SimpleAtoi(adjustment->value(), &added) ||
      __builtin_add_overflow(figure, added, &sum)) {
    return computed;
  }
  return absl::StrCat(sum);
}

// Records that `target`'s service could not answer, in the target and in
// the answer `reading` makes.
void MarkUnreachable(const TargetAnswers::Reading& reading, v1::Target* target) {
  reading.unreachable->insert(target->measured_by());
  target->add_unreachable(target->measured_by());
}

}  // namespace

TargetAnswers::TargetAnswers(const TargetActuals* actuals, const TargetStore* values,
                             AnswerOptions options)
    : actuals_(actuals),
      values_(values),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key) {}

void TargetAnswers::Assess(const std::string& actual, absl::CivilDay as_of,
                              v1::Target* target) const {
  absl::StatusOr<TargetProgress> progress =
      AssessProgress(*target, actual, as_of, options_.thresholds);
  if (!progress.ok()) {
    target->set_health_reason(std::string(progress.status().message()));
    return;
  }
  target->set_percent_of_target(progress->percent_of_target);
  target->set_pace_percent(progress->pace_percent);
  target->set_health(progress->health == TargetHealth::kGreen   ? v1::GREEN
                     : progress->health == TargetHealth::kAmber ? v1::AMBER
                                                                : v1::RED);
  target->set_health_reason(progress->reason);
}

void TargetAnswers::PresentComputed(const Reading& reading, absl::Span<const TargetValue> adjustments,
                                    bool trend, v1::Target* target) const {
  const absl::CivilDay as_of = ReadDay(*target, reading.today);
  absl::StatusOr<TargetActual> actual = actuals_->Compute(*target, reading.caller, as_of, trend, reading.questions);
  if (!actual.ok()) {
    // One service down leaves the other targets readable.
    MarkUnreachable(reading, target);
    target->set_health_reason(absl::StrCat("not known: ", actual.status().message()));
    return;
  }
  const TargetValue* adjustment = StandingValue(adjustments, as_of);
  const std::string total = WithAdjustment(actual->total, adjustment);
  target->set_actual_value(total);
  if (adjustment != nullptr) {
    target->set_adjustment_value(adjustment->value());
    target->set_reported_value(adjustment->name());
    target->set_evidence(adjustment->evidence());
  }
  *target->mutable_as_of() = FromCivilDay(as_of);
  for (const auto& [sub_district, value] : actual->by_sub_district) {
    v1::SubDistrictActual* share = target->add_breakdown();
    share->set_sub_district(sub_district);
    share->set_actual_value(value);
  }
  Assess(total, as_of, target);
  if (!trend) return;
  // One question gave every month-end's actual; the adjustment standing at
  // each month's end is added to it.
  for (const auto& [month, value] : actual->month_ends) {
    v1::MonthActual* point = target->add_trend();
    point->set_month(month);
    point->set_actual_value(
        WithAdjustment(value, StandingValue(adjustments, MonthEnd(target->year(), month, as_of))));
  }
}

void TargetAnswers::PresentReported(const Reading& reading, absl::Span<const TargetValue> values,
                                    bool trend, v1::Target* target) const {
  const absl::CivilDay read_day = ReadDay(*target, reading.today);
  const TargetValue* standing = StandingValue(values, read_day);
  if (standing == nullptr) {
    target->set_health_reason("reported by hand: no value reported yet");
    return;
  }
  const absl::CivilDay as_of = *ToCivilDay(standing->as_of());
  target->set_actual_value(standing->value());
  *target->mutable_as_of() = standing->as_of();
  target->set_reported_value(standing->name());
  target->set_evidence(standing->evidence());
  // A value is judged against the pace of the day it stands for: a
  // September figure is not behind in December for being September's.
  Assess(standing->value(), as_of, target);
  if (!trend) return;
  for (int month = 1; month <= read_day.month(); ++month) {
    const TargetValue* then = StandingValue(values, MonthEnd(target->year(), month, read_day));
    if (then == nullptr) continue;
    v1::MonthActual* point = target->add_trend();
    point->set_month(month);
    point->set_actual_value(then->value());
  }
}

void TargetAnswers::Present(const Reading& reading, absl::Span<const TargetValue> values,
                            bool trend, v1::Target* target) const {
  if (target->measurement() == v1::COMPUTED) {
    PresentComputed(reading, values, trend, target);
  } else {
    PresentReported(reading, values, trend, target);
  }
}

absl::StatusOr<TargetAnswers::YearOfCatalog> TargetAnswers::ReadYear(int32_t year) const {
  YearOfCatalog read;
  ASSIGN_OR_RETURN(read.catalog, values_->Catalog());
  for (size_t i = 0; i < read.catalog.size(); ++i) {
    read.by_name[read.catalog[i].name()] = i;
    if (read.years.empty() || read.years.back() != read.catalog[i].year()) {
      read.years.push_back(read.catalog[i].year());
    }
  }
  read.year = year != 0 ? year : (read.years.empty() ? 0 : read.years.back());
  for (size_t i = 0; i < read.catalog.size(); ++i) {
    if (read.catalog[i].year() == read.year) read.targets.push_back(i);
  }
  return read;
}

absl::Status TargetAnswers::PresentPrevious(const Reading& reading, const ValuesOf& values_of,
                                            const v1::Target* previous,
                                            v1::Target* target) const {
  // A link names a target of the catalog: checked on every write.
  if (previous == nullptr) return absl::OkStatus();
  v1::Target ended = *previous;
  ASSIGN_OR_RETURN(const std::vector<TargetValue>* values, values_of(ended));
  Present(reading, *values, /*trend=*/false, &ended);
  for (const std::string& service : ended.unreachable()) {
    if (std::find(target->unreachable().begin(), target->unreachable().end(), service) ==
        target->unreachable().end()) {
      target->add_unreachable(service);
    }
  }
  v1::PreviousResult* result = target->mutable_previous_result();
  result->set_target(ended.name());
  result->set_year(ended.year());
  result->set_target_value(ended.target_value());
  result->set_actual_value(ended.actual_value());
  result->set_percent_of_target(ended.percent_of_target());
  result->set_health(ended.health());
  if (ended.has_as_of()) *result->mutable_as_of() = ended.as_of();
  return absl::OkStatus();
}

absl::Status TargetAnswers::Get(const ServiceCaller& caller, const v1::GetTargetRequest& request,
                                v1::Target* response) const {
  ASSIGN_OR_RETURN(*response, values_->Find(request.name(), "name"));
  ASSIGN_OR_RETURN(const Departments assigned, values_->AssignedDepartments());
  SetAnswerableFrom(assigned, response);
  absl::btree_set<std::string> unreachable;
  TargetActuals::Questions questions;
  const Reading reading{caller, ChinaDayOf(absl::Now()), &unreachable, &questions};
  ValueCache cache;
  const ValuesOf values_of = ValuesFrom(&cache);
  ASSIGN_OR_RETURN(const std::vector<TargetValue>* values, values_of(*response));
  Present(reading, *values, /*trend=*/true, response);
  if (response->previous_target().empty()) return absl::OkStatus();
  absl::StatusOr<v1::Target> previous = values_->Find(response->previous_target(), "name");
  if (!previous.ok() && !absl::IsNotFound(previous.status())) return previous.status();
  return PresentPrevious(reading, values_of, previous.ok() ? &*previous : nullptr, response);
}

absl::Status TargetAnswers::ListContributions(
    const ServiceCaller& caller, const v1::ListTargetContributionsRequest& request,
    v1::ListTargetContributionsResponse* response) const {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(request.page_size()));
  ASSIGN_OR_RETURN(const v1::Target found, values_->Find(request.parent(), "parent"));
  const v1::Target* target = &found;
  const uint64_t query = QueryFingerprint(request);
  // The cursor is the position the page starts at.
  ASSIGN_OR_RETURN(int64_t position, page_tokens_.DecodeNumber(request.page_token(), query));
  std::vector<Contribution> all;
  if (target->measurement() == v1::COMPUTED) {
    const absl::CivilDay read_day = ReadDay(*target, ChinaDayOf(absl::Now()));
    ASSIGN_OR_RETURN(all, actuals_->Contributions(*target, caller, read_day));
    if (TakesValues(*target)) {
      // The adjustment standing is a part too, after the records.
      ASSIGN_OR_RETURN(const std::vector<TargetValue> values, values_->ValuesOf(target->name()));
      if (const TargetValue* adjustment = StandingValue(values, read_day);
          adjustment != nullptr && adjustment->value() != "0") {
        all.push_back({adjustment->name(), adjustment->value()});
      }
    }
  } else {
    ASSIGN_OR_RETURN(const std::vector<TargetValue> values, values_->ValuesOf(target->name()));
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
      all.push_back({it->name(), it->value()});
    }
  }
  // Pages are positions in an order computed anew per call: a record whose
  // part changes between pages may move across the boundary.
  const int64_t total = static_cast<int64_t>(all.size());
  for (; position < total && response->contributions_size() < size; ++position) {
    v1::TargetContribution* contribution = response->add_contributions();
    contribution->set_record(all[position].record);
    contribution->set_value(all[position].value);
  }
  response->set_total_size(static_cast<int32_t>(total));
  if (position < total) {
    response->set_next_page_token(page_tokens_.EncodeNumber(position, query));
  }
  return absl::OkStatus();
}

TargetAnswers::ValuesOf TargetAnswers::ValuesFrom(ValueCache* cache) const {
  return [this, cache](const v1::Target& target) -> absl::StatusOr<const std::vector<TargetValue>*> {
    static const std::vector<TargetValue>* const kNone = new std::vector<TargetValue>();
    if (!TakesValues(target)) return kNone;
    if (!cache->has_value()) {
      // Every value at once, grouped by target: values are few.
      ASSIGN_OR_RETURN(std::vector<TargetValue> all, values_->ValuesOf("targets/-"));
      cache->emplace();
      for (TargetValue& value : all) {
        (**cache)[TargetOf(value.name())].push_back(std::move(value));
      }
    }
    auto it = (*cache)->find(target.name());
    return it == (*cache)->end() ? kNone : &it->second;
  };
}

absl::Status TargetAnswers::Collect(const Reading& reading, const v1::TargetFilter& filter,
                                    const YearOfCatalog& year, int size, int64_t* position,
                                    google::protobuf::RepeatedPtrField<v1::Target>* out) const {
  RETURN_IF_ERROR(CheckTargetFilter(filter));
  ValueCache cache;
  const ValuesOf values_of = ValuesFrom(&cache);
  ASSIGN_OR_RETURN(const Departments assigned, values_->AssignedDepartments());
  const int64_t total = static_cast<int64_t>(year.targets.size());
  for (; *position < total && out->size() < size; ++*position) {
    v1::Target presented = year.catalog[year.targets[*position]];
    SetAnswerableFrom(assigned, &presented);
    if (!MatchesCatalogFields(filter, presented)) continue;
    ASSIGN_OR_RETURN(const std::vector<TargetValue>* values, values_of(presented));
    Present(reading, *values, /*trend=*/false, &presented);
    auto previous = year.by_name.find(presented.previous_target());
    RETURN_IF_ERROR(PresentPrevious(
        reading, values_of,
        previous == year.by_name.end() ? nullptr : &year.catalog[previous->second],
        &presented));
    if (MatchesHealth(filter, presented)) *out->Add() = std::move(presented);
  }
  return absl::OkStatus();
}

absl::Status TargetAnswers::List(const ServiceCaller& caller, const v1::ListTargetsRequest& request,
                                 v1::ListTargetsResponse* response) const {
  ASSIGN_OR_RETURN(const int size, ResolvePageSize(request.page_size()));
  const uint64_t query = QueryFingerprint(request);
  // The cursor is the position the page starts at.
  ASSIGN_OR_RETURN(int64_t position, page_tokens_.DecodeNumber(request.page_token(), query));
  ASSIGN_OR_RETURN(const YearOfCatalog year, ReadYear(request.year()));
  response->set_year(year.year);
  response->mutable_years()->Add(year.years.begin(), year.years.end());
  absl::btree_set<std::string> unreachable;
  TargetActuals::Questions questions;
  const Reading reading{caller, ChinaDayOf(absl::Now()), &unreachable, &questions};
  RETURN_IF_ERROR(Collect(reading, request.filter(), year, size, &position,
                          response->mutable_targets()));
  if (position < static_cast<int64_t>(year.targets.size())) {
    response->set_next_page_token(page_tokens_.EncodeNumber(position, query));
  }
  for (const std::string& service : unreachable) response->add_unreachable(service);
  return absl::OkStatus();
}

absl::Status TargetAnswers::Export(const ServiceCaller& caller,
                                   const v1::ExportTargetsRequest& request,
                                   type::v1::File* response) const {
  if (!v1::ExportFormat_IsValid(request.format())) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: must be XLSX or CSV, got ", request.format()));
  }
  ASSIGN_OR_RETURN(const YearOfCatalog year, ReadYear(request.year()));
  google::protobuf::RepeatedPtrField<v1::Target> targets;
  int64_t position = 0;
  absl::btree_set<std::string> unreachable;
  TargetActuals::Questions questions;
  const Reading reading{caller, ChinaDayOf(absl::Now()), &unreachable, &questions};
  RETURN_IF_ERROR(Collect(reading, request.filter(), year,
                          static_cast<int>(year.targets.size()), &position, &targets));
  for (const std::string& service : unreachable) response->add_unreachable(service);
  const std::string stem =
      absl::StrCat("江岸区", year.year, "年目标完成情况-", FormatDate(FromCivilDay(ChinaDayOf(absl::Now()))));
  if (request.format() == v1::CSV) {
    response->set_filename(absl::StrCat(stem, ".csv"));
    response->set_content_type("text/csv; charset=utf-8");
    response->set_content(TargetsCsv(targets));
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string workbook, TargetsXlsx(targets));
  response->set_filename(absl::StrCat(stem, ".xlsx"));
  response->set_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  response->set_content(std::move(workbook));
  return absl::OkStatus();
}

}  // namespace jiangan::targets
