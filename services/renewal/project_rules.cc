#include "services/renewal/project_rules.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/field_masks.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/geo/district.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan::renewal {
namespace {

using google::protobuf::FieldDescriptor;

// Set by the service, never by a caller.
const OutputOnlyFields& ProjectOutputOnly() {
  static const auto* fields = new OutputOnlyFields{
      "name",          "create_time",     "update_time",
      "etag",          "phase_history",   "actual_completion_date",
      "achieved",      "percent_complete", "health",
      "health_reasons", "baseline",       "location_outside_district",
      "creator",       "updater",         "delete_time"};
  return *fields;
}

absl::Status CheckQuantities(const std::string& field, const v1::Quantities& quantities) {
  const auto* descriptor = quantities.GetDescriptor();
  const auto* reflection = quantities.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* quantity = descriptor->field(i);
    if (absl::Status valid = CheckNotNegative(absl::StrCat(field, ".", quantity->name()),
                                              reflection->GetInt64(quantities, quantity));
        !valid.ok()) {
      return valid;
    }
  }
  return absl::OkStatus();
}

bool IsLabelKey(const std::string& key) {
  if (key.empty() || key.size() > 63 || key[0] < 'a' || key[0] > 'z') return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status CheckLabels(const v1::Project& project) {
  if (project.labels_size() > 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("project.labels: at most 32 labels, got ", project.labels_size()));
  }
  for (const auto& [key, value] : project.labels()) {
    if (!IsLabelKey(key)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "project.labels: key \"", key,
          "\" must be 1 to 63 lowercase letters, digits, '_' or '-', starting with a letter"));
    }
    if (absl::Status valid = CheckLength(absl::StrCat("project.labels[", key, "]"), value, 0, 63);
        !valid.ok()) {
      return valid;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDepartments(const v1::Project& project) {
  if (project.supporting_departments_size() > 20) {
    return absl::InvalidArgumentError(absl::StrCat(
        "project.supporting_departments: at most 20, got ",
        project.supporting_departments_size()));
  }
  for (int i = 0; i < project.supporting_departments_size(); ++i) {
    if (absl::Status valid =
            CheckLength(absl::StrCat("project.supporting_departments[", i, "]"),
                        project.supporting_departments(i), 1, 100);
        !valid.ok()) {
      return valid;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMilestones(const v1::Project& project, absl::CivilDay today) {
  if (project.milestones_size() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("project.milestones: at most 100, got ", project.milestones_size()));
  }
  for (int i = 0; i < project.milestones_size(); ++i) {
    const v1::Milestone& milestone = project.milestones(i);
    const std::string field = absl::StrCat("project.milestones[", i, "]");
    absl::Status valid = FirstError({
        CheckLength(absl::StrCat(field, ".title"), milestone.title(), 1, 200),
        CheckDate(absl::StrCat(field, ".planned_date"), milestone.planned_date()),
        CheckDate(absl::StrCat(field, ".actual_date"), milestone.actual_date()),
    });
    if (!valid.ok()) return valid;
    if (IsEmptyDate(milestone.planned_date())) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".planned_date: is required"));
    }
    if (absl::Status future = CheckPastDate(absl::StrCat(field, ".actual_date"),
                                            milestone.actual_date(), today);
        !future.ok()) {
      return future;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSchedule(const v1::Project& project) {
  absl::Status valid = FirstError({
      CheckDate("project.start_date", project.start_date()),
      CheckDate("project.planned_completion_date", project.planned_completion_date()),
  });
  if (!valid.ok()) return valid;
  auto start = ToCivilDay(project.start_date());
  auto end = ToCivilDay(project.planned_completion_date());
  if (start.has_value() && end.has_value() && *end < *start) {
    return absl::InvalidArgumentError(absl::StrCat(
        "project.planned_completion_date: ", FormatDate(project.planned_completion_date()),
        " is before project.start_date ", FormatDate(project.start_date())));
  }
  return absl::OkStatus();
}

absl::Status CheckPeriod(const std::string& period, absl::CivilDay today) {
  int year = 0, month = 0;
  const bool shaped = period.size() == 7 && period[4] == '-' &&
                      absl::SimpleAtoi(period.substr(0, 4), &year) &&
                      absl::SimpleAtoi(period.substr(5, 2), &month);
  if (!shaped || year < 1900 || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "progress_report.period: must be a month as YYYY-MM, got \"", period, "\""));
  }
  if (absl::CivilMonth(year, month) > absl::CivilMonth(today)) {
    return absl::InvalidArgumentError(
        absl::StrCat("progress_report.period: ", period, " has not begun yet"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProject(const v1::Project& project, absl::CivilDay today) {
  absl::Status valid = FirstError({
      CheckLength("project.display_name", project.display_name(), 1, 200),
      CheckEnum("project.kind", project.kind(), v1::ProjectKind_IsValid, true),
      CheckEnum("project.phase", project.phase(), v1::ProjectPhase_IsValid, true),
      CheckEnum("project.pipe_kind", project.pipe_kind(), v1::PipeKind_IsValid, false),
      CheckEnum("project.road_kind", project.road_kind(), v1::RoadKind_IsValid, false),
      CheckLength("project.lead_department", project.lead_department(), 0, 100),
      CheckLength("project.sub_district", project.sub_district(), 0, 50),
      CheckLength("project.zone", project.zone(), 0, 50),
      CheckLength("project.responsible_official", project.responsible_official(), 0, 50),
      CheckLength("project.address", project.address(), 0, 200),
      CheckLength("project.description", project.description(), 0, 4000),
      CheckLength("project.risk_note", project.risk_note(), 0, 1000),
  });
  if (!valid.ok()) return valid;
  if (project.has_location()) {
    if (absl::Status location = CheckLatLng("project.location", project.location().latitude(),
                                            project.location().longitude());
        !location.ok()) {
      return location;
    }
  }
  return FirstError({CheckDepartments(project), CheckLabels(project), CheckSchedule(project),
                     CheckQuantities("project.planned", project.planned()),
                     CheckMilestones(project, today)});
}

absl::Status CheckPhaseTransition(v1::ProjectPhase from, v1::ProjectPhase to) {
  if (from == to) return absl::OkStatus();
  bool allowed = false;
  switch (from) {
    case v1::PLANNING:
      allowed = to == v1::APPROVED || to == v1::CANCELLED;
      break;
    case v1::APPROVED:
      allowed = to == v1::UNDER_CONSTRUCTION || to == v1::SUSPENDED || to == v1::CANCELLED;
      break;
    case v1::UNDER_CONSTRUCTION:
      allowed = to == v1::COMPLETED || to == v1::SUSPENDED || to == v1::CANCELLED;
      break;
    case v1::SUSPENDED:
      allowed = to == v1::APPROVED || to == v1::UNDER_CONSTRUCTION || to == v1::CANCELLED;
      break;
    default:
      allowed = false;
  }
  if (allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "project.phase: cannot go from ", v1::ProjectPhase_Name(from), " to ",
      v1::ProjectPhase_Name(to), "; see the allowed transitions of ProjectPhase"));
}

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask) {
  return jiangan::CheckUpdateMask(mask, v1::Project::descriptor(), ProjectOutputOnly());
}

void ClearOutputOnlyFields(v1::Project* project) { ClearOutputOnly(ProjectOutputOnly(), project); }

absl::Status ValidateProgressReport(const v1::ProgressReport& report,
                                    const v1::Project& current, absl::CivilDay today) {
  if (absl::Status period = CheckPeriod(report.period(), today); !period.ok()) return period;
  if (report.percent_complete() < 0 || report.percent_complete() > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "progress_report.percent_complete: must be 0 to 100, got ", report.percent_complete()));
  }
  // Depends on the project's state, not the report alone (AIP-193).
  if (report.percent_complete() < current.percent_complete() && !report.correction()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "progress_report.percent_complete: ", report.percent_complete(),
        " is below the project's current ", current.percent_complete(),
        "; set correction to lower it"));
  }
  absl::Status valid = FirstError({
      CheckLength("progress_report.narrative", report.narrative(), 0, 4000),
      CheckLength("progress_report.problems_and_risks", report.problems_and_risks(), 0, 4000),
  });
  if (!valid.ok()) return valid;
  if (!report.correction()) return CheckQuantities("progress_report.achieved", report.achieved());
  // A correction may subtract, but never below zero in total.
  v1::Quantities total = current.achieved();
  if (absl::Status added = AddQuantities(report.achieved(), &total); !added.ok()) return added;
  const auto* descriptor = total.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (total.GetReflection()->GetInt64(total, field) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "progress_report.achieved.", field->name(),
          ": a correction may not take the project's achieved total below zero"));
    }
  }
  return absl::OkStatus();
}

absl::Status AddQuantities(const v1::Quantities& delta, v1::Quantities* total) {
  const auto* descriptor = total->GetDescriptor();
  const auto* reflection = total->GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    int64_t sum = 0;
    if (__builtin_add_overflow(reflection->GetInt64(*total, field),
                               reflection->GetInt64(delta, field), &sum)) {
      return absl::OutOfRangeError(
          absl::StrCat("achieved.", field->name(), ": the total would exceed the int64 range"));
    }
    reflection->SetInt64(total, field, sum);
  }
  return absl::OkStatus();
}

namespace {

bool EntersBaselinePhase(v1::ProjectPhase phase) {
  return phase == v1::APPROVED || phase == v1::UNDER_CONSTRUCTION ||
         phase == v1::COMPLETED || phase == v1::SUSPENDED;
}

}  // namespace

absl::CivilDay EnterDayOf(const v1::PhaseChange& change) {
  if (std::optional<absl::CivilDay> day = ToCivilDay(change.enter_date()); day.has_value()) {
    return *day;
  }
  return ChinaDayOf(absl::FromUnixSeconds(change.enter_time().seconds()));
}

absl::Status SettlePhaseDate(const v1::Project* before, const type::v1::Date* sent,
                             absl::CivilDay today, v1::Project* project) {
  const bool entering = before == nullptr || before->phase() != project->phase();
  if (!entering) {
    if (sent != nullptr && !IsEmptyDate(*sent) &&
        FormatDate(*sent) != FormatDate(before->phase_date())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "project.phase_date: is given with a change of phase; the project entered ",
          v1::ProjectPhase_Name(before->phase()), " on ",
          before->has_phase_date() ? FormatDate(before->phase_date()) : "a day not recorded"));
    }
    if (before->has_phase_date()) {
      *project->mutable_phase_date() = before->phase_date();
    } else {
      project->clear_phase_date();
    }
    return absl::OkStatus();
  }
  if (sent == nullptr || IsEmptyDate(*sent)) {
    project->clear_phase_date();
    return absl::OkStatus();
  }
  const type::v1::Date day = *sent;
  RETURN_IF_ERROR(CheckPastDate("project.phase_date", day, today));
  if (before != nullptr && before->phase_history_size() > 0) {
    const v1::PhaseChange& previous = before->phase_history(before->phase_history_size() - 1);
    const absl::CivilDay previous_day = EnterDayOf(previous);
    if (*ToCivilDay(day) < previous_day) {
      return absl::InvalidArgumentError(absl::StrCat(
          "project.phase_date: must not be before ", FormatDate(FromCivilDay(previous_day)),
          ", the day the project entered ", v1::ProjectPhase_Name(previous.phase()), "; got ",
          FormatDate(day)));
    }
  }
  *project->mutable_phase_date() = day;
  return absl::OkStatus();
}

// What follows from a project's fields: phase dates, baseline, completion
// date, location flag. `before` is null on create.
void ApplyConsequences(const v1::Project* before, absl::Time now, v1::Project* project) {
  const bool phase_changed = before == nullptr || before->phase() != project->phase();
  if (phase_changed) {
    if (!project->has_phase_date()) *project->mutable_phase_date() = FromCivilDay(ChinaDayOf(now));
    v1::PhaseChange* change = project->add_phase_history();
    change->set_phase(project->phase());
    *change->mutable_enter_time() = TimestampOf(now);
    *change->mutable_enter_date() = project->phase_date();
  }
  if (!project->has_baseline() && EntersBaselinePhase(project->phase())) {
    v1::Baseline* baseline = project->mutable_baseline();
    *baseline->mutable_start_date() = project->start_date();
    *baseline->mutable_planned_completion_date() = project->planned_completion_date();
    *baseline->mutable_planned() = project->planned();
    *baseline->mutable_milestones() = project->milestones();
    *baseline->mutable_freeze_time() = TimestampOf(now);
  }
  if (phase_changed && project->phase() == v1::COMPLETED) {
    *project->mutable_actual_completion_date() = project->phase_date();
  }
  project->set_location_outside_district(project->has_location() &&
                                         geo::FarOutsideDistrict(project->location().latitude(),
                                                              project->location().longitude()));
}


}  // namespace jiangan::renewal
