#include "services/facilities/facility_store.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/exact_sum.h"
#include "common/base/field_masks.h"
#include "common/base/fingerprint.h"
#include "common/base/resource_name.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/geo/earth.h"
#include "common/storage/batch_create.h"
#include "common/storage/child_rows.h"
#include "common/storage/resource_page.h"
#include "common/storage/rollup_period.h"
#include "common/storage/schema_migrations.h"
#include "common/storage/sql_query.h"
#include "google/protobuf/util/time_util.h"
#include "services/facilities/facility_rules.h"
#include "services/facilities/facility_sql.h"
#include "services/facilities/facility_summary.h"
#include "services/facilities/nearby_search.h"

namespace jiangan::facilities {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCollection[] = "facilities";
// Layouts of the tables. Version 1 was the generic table of the first
// release, which version 2 replaces; version 3 added the summary rollups
// and version 4 indexes that hold what their reads need; version 5 the
// publicly_owned column; version 6 the days facilities were rebuilt;
// version 7 the rollups by public ownership and the built rollup.
constexpr int kFirstSchemaVersion = 2;
constexpr int kRollupSchemaVersion = 3;
constexpr int kCoveringIndexSchemaVersion = 4;
constexpr int kPubliclyOwnedSchemaVersion = 5;
constexpr int kRebuildsSchemaVersion = 6;
constexpr int kSchemaVersion = 7;
constexpr double kDefaultRadiusMeters = 1000;
constexpr double kMaxRadiusMeters = 20000;

absl::StatusOr<std::string> ParseFacilityName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, kCollection, field);
}

absl::Status CheckPoint(absl::string_view field, bool has, const type::v1::LatLng& point) {
  if (!has) return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  return CheckLatLng(field, point.latitude(), point.longitude());
}

std::string InList(const std::vector<int>& values) {
  return absl::StrCat("IN (", absl::StrJoin(values, ","), ")");
}

}  // namespace

FacilityStore::FacilityStore(SqlDb* writer, FacilityStoreOptions options)
    : writer_(writer),
      options_(std::move(options)),
      page_tokens_(options_.page_token_key),
      changes_("facility_changes", "facility_id", v1::Facility::descriptor(),
               {"update_time", "etag", "updater"}),
      readers_(std::make_unique<SqlReaderPool>()) {}

FacilityStore::~FacilityStore() = default;

namespace {

// Schema v5: whether each facility stored before it is of the public sector.
absl::Status FillPubliclyOwned(SqlDb* db) {
  return FacilityRows().FillColumns(
      db, {"publicly_owned"}, v1::Facility::default_instance(),
      [](const google::protobuf::Message& facility) {
        return std::vector<SqlArg>{
            int64_t{PubliclyOwned(static_cast<const v1::Facility&>(facility))}};
      });
}

// Records the days facility `seq` came back into service after being
// rebuilt, replacing those recorded before.
absl::Status IndexRebuilds(SqlDb* db, int64_t seq, const v1::Facility& facility) {
  ASSIGN_OR_RETURN(SqlStatement drop, db->Prepare(kDropRebuildsSql));
  drop.BindInt64(1, seq);
  RETURN_IF_ERROR(drop.Run());
  for (const int64_t day : RebuiltDays(facility)) {
    ASSIGN_OR_RETURN(SqlStatement insert, db->Prepare(kInsertRebuildSql));
    insert.BindInt64(1, seq);
    insert.BindInt64(2, day);
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

// Schema v6: the rebuilds of every facility stored before it.
absl::Status IndexEveryRebuild(SqlDb* db) {
  return FacilityRows().ForEachResource(
      db, v1::Facility::default_instance(),
      [db](int64_t seq, const google::protobuf::Message& facility) {
        return IndexRebuilds(db, seq, static_cast<const v1::Facility&>(facility));
      });
}

}  // namespace

absl::StatusOr<std::unique_ptr<FacilityStore>> FacilityStore::Open(SqlDb* db,
                                                                   FacilityStoreOptions options) {
  std::unique_ptr<FacilityStore> store(new FacilityStore(db, std::move(options)));
  RETURN_IF_ERROR(MigrateSchema(
      db, {{SchemaStep{kFirstSchemaVersion, absl::StrCat(SchemaSql(), store->changes_.SchemaSql())},
            // Version 7 makes and fills the rollups anew.
            SchemaStep{kRollupSchemaVersion, RollupSchemaSql()},
            SchemaStep{kCoveringIndexSchemaVersion, CoveringIndexSchemaSql()},
            SchemaStep{kPubliclyOwnedSchemaVersion,
                       FacilityRows().AddedColumnsSql(kPubliclyOwnedSchemaVersion),
                       FillPubliclyOwned},
            SchemaStep{kRebuildsSchemaVersion, RebuildsSchemaSql(), IndexEveryRebuild},
            SchemaStep{kSchemaVersion, WindowRollupSchemaSql(), FillRollups}}}));
  RETURN_IF_ERROR(store->readers_->Open(*db, std::max(1, store->options_.reader_connections)));
  return store;
}

// ---- Reads ----------------------------------------------------------------

absl::StatusOr<v1::Facility> FacilityStore::Get(const v1::GetFacilityRequest& request) const {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.name(), "name"));
  v1::Facility facility;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) {
    return FacilityRows().FindExisting(db, kCollection, id, /*deleted=*/false, &facility).status();
  }));
  return facility;
}

absl::Status FacilityStore::List(const v1::ListFacilitiesRequest& request,
                                 v1::ListFacilitiesResponse* response) const {
  ASSIGN_OR_RETURN(SqlWhere where, FilterSql(request.filter(), request.show_deleted()));
  return readers_->With([&](SqlDb* db) {
    return ListResourcePage(
        db, page_tokens_, request, request.page_size(), request.page_token(), request.order_by(),
        {ResourceRows::kColumns, FacilityRows().source(), FacilityOrderFields()},
        std::move(where),
        [&](const SqlStatement& row) {
          return ResourceRows::Decode(row, response->add_facilities());
        },
        response->mutable_next_page_token());
  });
}

absl::Status FacilityStore::ListCapacityReadings(const v1::ListCapacityReadingsRequest& request,
                                                 v1::ListCapacityReadingsResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return ListChildPayloads(db, page_tokens_, request, request.page_size(), request.page_token(),
                             {kCollection, "facilities", id, false, "capacity_readings",
                              "facility_id"},
                             response->mutable_capacity_readings(),
                             response->mutable_next_page_token());
  });
}

absl::Status FacilityStore::ListHistory(const v1::ListFacilityHistoryRequest& request,
                                       v1::ListFacilityHistoryResponse* response) const {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.parent(), "parent"));
  return readers_->With([&](SqlDb* db) {
    return changes_.ListPage(db, page_tokens_, request, request.page_size(), request.page_token(),
                             kCollection, id, response->mutable_changes(),
                             response->mutable_next_page_token());
  });
}

absl::Status FacilityStore::SearchNearby(const v1::SearchNearbyRequest& request,
                                         v1::SearchNearbyResponse* response) const {
  RETURN_IF_ERROR(CheckPoint("point", request.has_point(), request.point()));
  const double radius = request.radius_meters() == 0 ? kDefaultRadiusMeters : request.radius_meters();
  if (!std::isfinite(radius) || radius < 0 || radius > kMaxRadiusMeters) {
    return absl::InvalidArgumentError(absl::StrCat(
        "radius_meters: must be 0 to ", kMaxRadiusMeters, ", got ", request.radius_meters()));
  }
  if (request.limit() < 0 || request.limit() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("limit: must be 0 to 100, got ", request.limit()));
  }
  NearbyQuery query;
  query.latitude = request.point().latitude();
  query.longitude = request.point().longitude();
  query.radius_meters = radius;
  query.limit = request.limit() == 0 ? 10 : request.limit();
  if (request.kinds_size() > 0) {
    ASSIGN_OR_RETURN(const std::string kinds,
                     EnumList("kinds", request.kinds(), v1::FacilityKind_IsValid));
    query.kinds_in = absl::StrCat("IN ", kinds);
  }
  if (request.statuses_size() > 0) {
    ASSIGN_OR_RETURN(const std::string statuses,
                     EnumList("statuses", request.statuses(), v1::FacilityStatus_IsValid));
    query.statuses_in = absl::StrCat("IN ", statuses);
  }
  return readers_->With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(const std::vector<NearbyHit> hits, FindNearby(db, query));
    for (const NearbyHit& hit : hits) {
      ASSIGN_OR_RETURN(SqlStatement payload,
                       db->Prepare("SELECT payload FROM facility_payloads WHERE seq = ?"));
      payload.BindInt64(1, hit.seq);
      ASSIGN_OR_RETURN(const bool stored, payload.Step());
      v1::NearbyFacility* found = response->add_results();
      if (!stored || !found->mutable_facility()->ParseFromString(payload.ColumnBlob(0))) {
        return absl::DataLossError(absl::StrCat("the payload of facility row ", hit.seq,
                                                " is missing or does not parse"));
      }
      found->set_distance_meters(std::round(hit.distance_meters * 10) / 10);
    }
    return absl::OkStatus();
  });
}

absl::Status FacilityStore::AssessCoverage(const v1::AssessCoverageRequest& request,
                                           v1::AssessCoverageResponse* response) const {
  RETURN_IF_ERROR(CheckPoint("point", request.has_point(), request.point()));
  CircleProfile profile;
  if (request.profile() == v1::COVERAGE_PROFILE_UNSPECIFIED) {
    for (int kind = v1::FacilityKind_MIN + 1; kind <= v1::FacilityKind_MAX; ++kind) {
      if (v1::FacilityKind_IsValid(kind)) {
        profile.kinds.push_back(static_cast<v1::FacilityKind>(kind));
      }
    }
  } else {
    ASSIGN_OR_RETURN(profile, ProfileOf(request.profile(), "profile"));
    std::sort(profile.kinds.begin(), profile.kinds.end());
  }
  const double circle = CircleRadiusMeters(profile.minutes, options_.walk);
  response->set_profile(request.profile());
  response->set_detour_factor(options_.walk.detour_factor);
  response->set_walking_meters_per_minute(options_.walk.meters_per_minute);
  response->set_search_limit_meters(options_.assess_search_limit_meters);
  bool covered = profile.minutes > 0;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
    for (v1::FacilityKind kind : profile.kinds) {
      v1::KindAccess* access = response->add_kinds();
      access->set_kind(kind);
      access->set_circle_minutes(profile.minutes);
      NearbyQuery query;
      query.latitude = request.point().latitude();
      query.longitude = request.point().longitude();
      query.radius_meters = options_.assess_search_limit_meters;
      query.kinds_in = InList({kind});
      query.statuses_in = InList({v1::IN_SERVICE});
      query.limit = 1;
      ASSIGN_OR_RETURN(const std::vector<NearbyHit> hits, FindNearby(db, query));
      if (hits.empty()) {
        covered = false;
        continue;
      }
      v1::Facility nearest;
      ASSIGN_OR_RETURN(SqlStatement payload,
                       db->Prepare("SELECT payload FROM facility_payloads WHERE seq = ?"));
      payload.BindInt64(1, hits[0].seq);
      ASSIGN_OR_RETURN(const bool stored, payload.Step());
      if (!stored || !nearest.ParseFromString(payload.ColumnBlob(0))) {
        return absl::DataLossError(
            absl::StrCat("the payload of facility row ", hits[0].seq, " is missing"));
      }
      access->set_nearest(nearest.name());
      access->set_nearest_display_name(nearest.display_name());
      access->set_distance_meters(std::round(hits[0].distance_meters * 10) / 10);
      access->set_walking_minutes(WalkingMinutes(hits[0].distance_meters, options_.walk));
      const bool within = profile.minutes == 0 || hits[0].distance_meters <= circle;
      access->set_within_circle(within);
      covered = covered && within;
    }
    return absl::OkStatus();
  }));
  response->set_covered(covered);
  return absl::OkStatus();
}

absl::StatusOr<v1::ReportCoverageResponse> FacilityStore::ReportCoverage(
    const v1::ReportCoverageRequest& request) const {
  RETURN_IF_ERROR(ValidateReportCoverage(request));
  ASSIGN_OR_RETURN(const CircleProfile profile, ProfileOf(request.profile(), "profile"));
  std::vector<int> kinds(profile.kinds.begin(), profile.kinds.end());
  std::vector<CoverageSite> sites;
  RETURN_IF_ERROR(readers_->With([&](SqlDb* db) -> absl::Status {
    ASSIGN_OR_RETURN(SqlStatement stmt, db->Prepare(CoverageSitesSql(InList(kinds))));
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      CoverageSite site;
      site.kind = static_cast<v1::FacilityKind>(stmt.ColumnInt64(0));
      site.latitude = stmt.ColumnDouble(1);
      site.longitude = stmt.ColumnDouble(2);
      if (!stmt.ColumnIsNull(3)) site.capacity = stmt.ColumnInt64(3);
      sites.push_back(site);
    }
    return absl::OkStatus();
  }));
  return ComputeCoverage(request, sites, options_.walk, options_.demand);
}

absl::Status FacilityStore::Summarize(const v1::SummarizeFacilitiesRequest& request,
                                      v1::SummarizeFacilitiesResponse* response) const {
  return SummarizeFacilities(*readers_, ChinaDayOf(options_.now()), request, response);
}

// ---- Writes ---------------------------------------------------------------

absl::StatusOr<FacilityStore::StoredFacility> FacilityStore::LoadForChange(
    const Identity& caller, absl::string_view id, bool deleted) {
  StoredFacility stored;
  ASSIGN_OR_RETURN(stored.row,
                   FacilityRows().FindExisting(writer_, kCollection, id, deleted, &stored.facility));
  RETURN_IF_ERROR(CheckCanChange(caller, stored.facility.owner_department(), stored.facility.name()));
  RETURN_IF_ERROR(GatherRollupItems(writer_, stored.row.seq, stored.facility, -1,
                                    /*readings=*/true, &stored.rollups));
  return stored;
}

absl::Status FacilityStore::GatherRollupItems(SqlDb* db, int64_t seq,
                                              const v1::Facility& facility, int sign,
                                              bool readings, RollupChanges* changes) {
  if (facility.has_delete_time()) return absl::OkStatus();
  const std::vector<SqlArg> derived = DerivedValues(facility);
  RETURN_IF_ERROR(FacilityRollup().Record(
      RollupItem{FacilityRollup().DimensionsOf(FacilityRows(), derived),
                 {facility.capacity(), facility.in_use()}},
      sign, changes));
  const SqlArg& service_day = derived[FacilityRows().DerivedIndex("service_day")];
  if (!std::holds_alternative<SqlNull>(service_day)) {
    RETURN_IF_ERROR(OpeningRollup().Record(
        RollupItem{OpeningRollup().DimensionsOf(
                       FacilityRows(), derived,
                       {{"service_month", MonthStartOf(std::get<int64_t>(service_day))}}),
                   {}},
        sign, changes));
  }
  // Built on: the day in service, the days rebuilt and (with the readings)
  // the days capacity rose.
  std::vector<int64_t> built;
  if (!std::holds_alternative<SqlNull>(service_day)) {
    built.push_back(std::get<int64_t>(service_day));
  }
  for (const int64_t day : RebuiltDays(facility)) built.push_back(day);
  if (readings) {
    ASSIGN_OR_RETURN(SqlStatement stmt, db->Prepare(kReadingsOfFacilitySql));
    stmt.BindInt64(1, seq);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      const int64_t day = stmt.ColumnInt64(1);
      const int64_t change = stmt.ColumnInt64(3);
      if (change > 0) built.push_back(day);
      RETURN_IF_ERROR(CapacityChangeRollup().Record(
          RollupItem{CapacityChangeRollup().DimensionsOf(
                         FacilityRows(), derived,
                         {{"reading_day", day}, {"reading_month", MonthStartOf(day)}}),
                     {std::max<int64_t>(change, 0), std::max<int64_t>(-change, 0)}},
          sign, changes));
    }
  }
  return GatherBuiltItems(FacilityRollup().DimensionsOf(FacilityRows(), derived),
                          std::move(built), sign, changes);
}

absl::Status FacilityStore::GatherBuiltItems(const std::vector<SqlArg>& dimensions,
                                             std::vector<int64_t> days, int sign,
                                             RollupChanges* changes) {
  std::vector<std::pair<int64_t, int64_t>> entries;
  for (const int64_t day : days) entries.emplace_back(0, day);
  for (const auto& entry : FirstEntriesEachYear(std::move(entries))) {
    // Sized once: no reallocation (GCC's -O3 misreads one of SqlArg).
    RollupItem item{std::vector<SqlArg>(dimensions.size() + 2), {}};
    std::copy(dimensions.begin(), dimensions.end(), item.dimensions.begin());
    item.dimensions[dimensions.size()] = entry.second;
    item.dimensions[dimensions.size() + 1] = MonthStartOf(entry.second);
    RETURN_IF_ERROR(BuiltRollup().Record(item, sign, changes));
  }
  return absl::OkStatus();
}

absl::Status FacilityStore::FillRollups(SqlDb* db) {
  RollupChanges changes;
  // One pass per rollup, each reading its items' dimensions from the
  // facility row: no statement runs while another is half-read.
  const int dimensions = static_cast<int>(FacilityRollup().layout().dimensions.size());
  const std::string selected = FacilityRollup().DimensionsSql(dimensions);
  RETURN_IF_ERROR(FacilityRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", selected, ", capacity, in_use FROM facilities WHERE deleted = 0"),
      dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->values = {row.ColumnInt64(first), row.ColumnInt64(first + 1)};
      },
      &changes));
  RETURN_IF_ERROR(OpeningRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", selected, ", service_day FROM facilities WHERE deleted = 0 AND ",
                   "service_day IS NOT NULL"),
      dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->dimensions.push_back(row.ColumnInt64(first));
        item->dimensions.push_back(MonthStartOf(row.ColumnInt64(first)));
      },
      &changes));
  RETURN_IF_ERROR(CapacityChangeRollup().RecordEachRow(
      db,
      absl::StrCat("SELECT ", selected,
                   ", reading_day, change FROM capacity_readings JOIN facilities ON "
                   "facilities.seq = capacity_readings.facility_seq WHERE deleted = 0"),
      dimensions,
      [](const SqlStatement& row, int first, RollupItem* item) {
        item->dimensions.push_back(row.ColumnInt64(first));
        item->dimensions.push_back(MonthStartOf(row.ColumnInt64(first)));
        const int64_t change = row.ColumnInt64(first + 1);
        item->values = {std::max<int64_t>(change, 0), std::max<int64_t>(-change, 0)};
      },
      &changes));
  // Built: every facility's days in service, rebuilt and risen, a facility's
  // together, gathered as a write gathers them.
  const std::string live = absl::StrCat(selected, ", facilities.seq AS facility_seq, ");
  ASSIGN_OR_RETURN(
      SqlStatement days,
      db->Prepare(absl::StrCat(
          "SELECT ", live, "service_day AS built_day FROM facilities WHERE deleted = 0 AND "
          "service_day IS NOT NULL UNION ALL SELECT ", live, "rebuilt_day FROM facility_rebuilds "
          "JOIN facilities ON facilities.seq = facility_rebuilds.facility_seq WHERE deleted = 0 "
          "UNION ALL SELECT ", live, "reading_day FROM capacity_readings JOIN facilities ON "
          "facilities.seq = capacity_readings.facility_seq WHERE deleted = 0 AND change > 0 "
          "ORDER BY facility_seq")));
  std::vector<SqlArg> facility_dimensions(dimensions);
  std::vector<int64_t> built;
  int64_t facility = -1;
  auto flush = [&]() -> absl::Status {
    if (facility < 0) return absl::OkStatus();
    return GatherBuiltItems(facility_dimensions, std::move(built), +1, &changes);
  };
  while (true) {
    ASSIGN_OR_RETURN(const bool row, days.Step());
    if (!row) break;
    if (days.ColumnInt64(dimensions) != facility) {
      RETURN_IF_ERROR(flush());
      facility = days.ColumnInt64(dimensions);
      built.clear();
      for (int d = 0; d < dimensions; ++d) {
        facility_dimensions[d] = ColumnArg(
            days, d, absl::StartsWith(FacilityRollup().layout().dimensions[d].type, "TEXT"));
      }
    }
    built.push_back(days.ColumnInt64(dimensions + 1));
  }
  RETURN_IF_ERROR(flush());
  return changes.Write(db);
}

absl::Status FacilityStore::IndexPlace(int64_t seq, const v1::Facility& facility) {
  ASSIGN_OR_RETURN(SqlStatement drop, writer_->Prepare(kDropPlaceSql));
  drop.BindInt64(1, seq);
  RETURN_IF_ERROR(drop.Run());
  if (facility.has_delete_time() || !facility.has_location()) return absl::OkStatus();
  const double latitude = facility.location().latitude();
  const double longitude = facility.location().longitude();
  ASSIGN_OR_RETURN(SqlStatement insert, writer_->Prepare(kInsertPlaceSql));
  insert.BindInt64(1, seq);
  insert.BindDouble(2, latitude);
  insert.BindDouble(3, latitude);
  insert.BindDouble(4, longitude);
  insert.BindDouble(5, longitude);
  insert.BindInt64(6, facility.kind());
  insert.BindInt64(7, facility.status());
  insert.BindDouble(8, latitude);
  insert.BindDouble(9, longitude);
  if (facility.has_capacity_date()) {
    insert.BindInt64(10, facility.capacity());
  } else {
    insert.BindNull(10);
  }
  return insert.Run();
}

absl::Status FacilityStore::Rewrite(const Identity& caller, absl::string_view method,
                                    const StoredFacility& before, v1::Facility* facility,
                                    bool readings_changed) {
  const int64_t version = before.row.version + 1;
  // What readings change depends on them and on the day the facility first
  // served: restated, when either moved, before the rollups are gathered.
  const std::optional<int64_t> first_service_day = FirstServiceDay(*facility);
  if (readings_changed || first_service_day != FirstServiceDay(before.facility)) {
    v1::CapacityReading latest;
    ASSIGN_OR_RETURN(const bool any,
                     RestateReadings(before.row.seq, first_service_day, &latest));
    ApplyLatestReading(any ? &latest : nullptr, facility);
  }
  facility->set_updater(caller.principal);
  *facility->mutable_update_time() = TimestampOf(options_.now());
  facility->set_etag(VersionEtag(before.row.seq, version));
  RETURN_IF_ERROR(
      FacilityRows().Update(writer_, before.row.seq, version, DerivedValues(*facility), *facility));
  RETURN_IF_ERROR(IndexPlace(before.row.seq, *facility));
  RETURN_IF_ERROR(IndexRebuilds(writer_, before.row.seq, *facility));
  RollupChanges rollups = before.rollups;
  RETURN_IF_ERROR(GatherRollupItems(writer_, before.row.seq, *facility, +1, /*readings=*/true,
                                    &rollups));
  RETURN_IF_ERROR(rollups.Write(writer_));
  return changes_.Record(writer_, before.row.id,
                         TimeUtil::TimestampToMicroseconds(facility->update_time()),
                         caller.principal, method, before.facility, *facility);
}

absl::StatusOr<v1::Facility> FacilityStore::ChangeFacility(
    const Identity& caller, absl::string_view method, absl::string_view id, bool deleted,
    const std::function<absl::Status(const StoredFacility& stored, absl::Time now,
                                     v1::Facility* next)>& change) {
  const absl::Time now = options_.now();
  v1::Facility next;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const StoredFacility stored, LoadForChange(caller, id, deleted));
    RETURN_IF_ERROR(change(stored, now, &next));
    return Rewrite(caller, method, stored, &next);
  }));
  return next;
}

absl::StatusOr<FacilityStore::NewFacility> FacilityStore::CheckCreate(
    const Identity& caller, const v1::CreateFacilityRequest& request, absl::Time now) const {
  NewFacility created;
  created.request = &request;
  ASSIGN_OR_RETURN(created.id,
                   ResolveNewId(request.facility_id(), "facility_id", request.request_id()));
  v1::Facility& facility = created.facility;
  facility = request.facility();
  ClearOutputOnlyFields(&facility);
  if (facility.status() == v1::FACILITY_STATUS_UNSPECIFIED) facility.set_status(v1::PLANNED);
  RETURN_IF_ERROR(ValidateFacility(facility, ChinaDayOf(now)));
  if (facility.status() == v1::CLOSED) {
    return absl::InvalidArgumentError("facility.status: a facility cannot be created CLOSED");
  }
  created.name = absl::StrCat(kCollection, "/", created.id);
  RETURN_IF_ERROR(CheckCanChange(caller, facility.owner_department(), created.name));
  RETURN_IF_ERROR(ApplyConsequences(nullptr, !IsEmptyDate(facility.status_date()), now,
                                    caller.principal, &facility));
  return created;
}

absl::StatusOr<v1::Facility> FacilityStore::Insert(const Identity& caller, NewFacility created,
                                                   absl::Time now, RollupChanges* rollups) {
  const v1::CreateFacilityRequest& request = *created.request;
  v1::Facility& facility = created.facility;
  if (!request.request_id().empty()) {
    v1::Facility earlier;
    ASSIGN_OR_RETURN(const std::optional<StoredRow> found,
                     FacilityRows().Find(writer_, "request_id", request.request_id(), &earlier));
    if (found.has_value()) return earlier;
  }
  RETURN_IF_ERROR(FacilityRows().CheckIdFree(writer_, created.id, created.name));
  ASSIGN_OR_RETURN(const int64_t seq, FacilityRows().NextSeq(writer_));
  StampCreated(created.name, now, caller.principal, seq, &facility);
  RETURN_IF_ERROR(FacilityRows().Insert(writer_, seq, created.id, request.request_id(),
                                        DerivedValues(facility), facility));
  RETURN_IF_ERROR(IndexPlace(seq, facility));
  RETURN_IF_ERROR(IndexRebuilds(writer_, seq, facility));
  RETURN_IF_ERROR(GatherRollupItems(writer_, seq, facility, +1, /*readings=*/false, rollups));
  RETURN_IF_ERROR(changes_.Record(writer_, created.id,
                                  TimeUtil::TimestampToMicroseconds(facility.create_time()),
                                  caller.principal, "CreateFacility", v1::Facility(), facility));
  return std::move(facility);
}

absl::StatusOr<v1::Facility> FacilityStore::Create(const Identity& caller,
                                                   const v1::CreateFacilityRequest& request) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(NewFacility created, CheckCreate(caller, request, now));
  v1::Facility result;
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    RollupChanges rollups;
    ASSIGN_OR_RETURN(result, Insert(caller, std::move(created), now, &rollups));
    return rollups.Write(writer_);
  }));
  return result;
}

absl::Status FacilityStore::BatchCreate(const Identity& caller,
                                        const v1::BatchCreateFacilitiesRequest& request,
                                        v1::BatchCreateFacilitiesResponse* response) {
  const absl::Time now = options_.now();
  ASSIGN_OR_RETURN(std::vector<v1::Facility> made,
                   (CreateAllOrNone<NewFacility, v1::Facility>(
                       request.requests_size(), "facilities", writer_, &write_mu_,
                       [&](int i) { return CheckCreate(caller, request.requests(i), now); },
                       [&](NewFacility checked, RollupChanges* changes) {
                         return Insert(caller, std::move(checked), now, changes);
                       })));
  for (v1::Facility& facility : made) *response->add_facilities() = std::move(facility);
  return absl::OkStatus();
}

absl::StatusOr<v1::Facility> FacilityStore::Update(const Identity& caller,
                                                   const v1::UpdateFacilityRequest& request) {
  ASSIGN_OR_RETURN(const std::string id,
                   ParseFacilityName(request.facility().name(), "facility.name"));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask()));
  return ChangeFacility(
      caller, "UpdateFacility", id, /*deleted=*/false,
      [&](const StoredFacility& stored, absl::Time now, v1::Facility* merged) -> absl::Status {
        const v1::Facility& before = stored.facility;
        RETURN_IF_ERROR(CheckEtag("facility.etag", request.facility().etag(), before.etag()));
        *merged = before;
        MergeMasked(request.facility(), request.update_mask(), merged);
        // Field rules first: a transition is only judged between real statuses.
        RETURN_IF_ERROR(ValidateFacility(*merged, ChinaDayOf(now)));
        RETURN_IF_ERROR(CheckStatusTransition(before.status(), merged->status()));
        RETURN_IF_ERROR(CheckChangeAllowed(before, *merged));
        if (merged->owner_department() != before.owner_department()) {
          RETURN_IF_ERROR(CheckCanChange(caller, merged->owner_department(), before.name()));
        }
        return ApplyConsequences(&before, MaskNames(request.update_mask(), "status_date"), now,
                                 caller.principal, merged);
      });
}

absl::StatusOr<v1::Facility> FacilityStore::Delete(const Identity& caller,
                                                   const v1::DeleteFacilityRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.name(), "name"));
  return ChangeFacility(
      caller, "DeleteFacility", id, /*deleted=*/false,
      [&](const StoredFacility& stored, absl::Time now, v1::Facility* next) -> absl::Status {
        RETURN_IF_ERROR(CheckEtag("etag", request.etag(), stored.facility.etag()));
        *next = SoftDeleted(stored.facility, now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::Facility> FacilityStore::Undelete(const Identity& caller,
                                                     const v1::UndeleteFacilityRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.name(), "name"));
  return ChangeFacility(caller, "UndeleteFacility", id, /*deleted=*/true,
                        [](const StoredFacility& stored, absl::Time, v1::Facility* next) {
                          *next = Restored(stored.facility);
                          return absl::OkStatus();
                        });
}

absl::StatusOr<bool> FacilityStore::RestateReadings(int64_t seq,
                                                    std::optional<int64_t> first_service_day,
                                                    v1::CapacityReading* latest) {
  ASSIGN_OR_RETURN(SqlStatement stmt, writer_->Prepare(kReadingsOfFacilitySql));
  stmt.BindInt64(1, seq);
  std::vector<ReadingPoint> points;
  std::vector<int64_t> stored_changes;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    points.push_back({stmt.ColumnInt64(1), stmt.ColumnInt64(0), stmt.ColumnInt64(2)});
    stored_changes.push_back(stmt.ColumnInt64(3));
  }
  if (points.empty()) return false;
  const std::vector<int64_t> changes = CapacityChanges(points, first_service_day);
  size_t newest = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    // Only the readings a back-dated one moved are written again.
    if (changes[i] != stored_changes[i]) {
      ASSIGN_OR_RETURN(SqlStatement set, writer_->Prepare(kSetReadingChangeSql));
      set.BindInt64(1, changes[i]);
      set.BindInt64(2, points[i].seq);
      RETURN_IF_ERROR(set.Run());
    }
    if (std::make_pair(points[i].day, points[i].seq) >
        std::make_pair(points[newest].day, points[newest].seq)) {
      newest = i;
    }
  }
  ASSIGN_OR_RETURN(SqlStatement payload, writer_->Prepare(kReadingPayloadSql));
  payload.BindInt64(1, points[newest].seq);
  ASSIGN_OR_RETURN(const bool found, payload.Step());
  if (!found || !latest->ParseFromString(payload.ColumnBlob(0))) {
    return absl::DataLossError(absl::StrCat("capacity reading row ", points[newest].seq,
                                            " is missing or does not parse"));
  }
  return true;
}

absl::StatusOr<v1::CapacityReading> FacilityStore::RecordCapacity(
    const Identity& caller, const v1::RecordCapacityRequest& request) {
  ASSIGN_OR_RETURN(const std::string id, ParseFacilityName(request.parent(), "parent"));
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  const absl::Time now = options_.now();
  v1::CapacityReading reading = request.capacity_reading();
  RETURN_IF_ERROR(ValidateCapacityReading(reading, ChinaDayOf(now)));
  absl::MutexLock lock(&write_mu_);
  RETURN_IF_ERROR(writer_->InTransaction([&]() -> absl::Status {
    ASSIGN_OR_RETURN(const bool earlier,
                     FindChildByRequestId(writer_, "capacity_readings", "facility_id", id,
                                          request.request_id(), &reading));
    if (earlier) return absl::OkStatus();
    ASSIGN_OR_RETURN(const StoredFacility stored, LoadForChange(caller, id, /*deleted=*/false));
    reading.set_name(absl::StrCat(stored.facility.name(), "/capacityReadings/",
                                  GenerateResourceId()));
    reading.set_recorder(caller.principal);
    *reading.mutable_create_time() = TimestampOf(now);
    RETURN_IF_ERROR(InsertChildRow(writer_, "capacity_readings", "facility_id", id,
                                   request.request_id(), reading,
                                   {{"facility_seq", stored.row.seq},
                                    {"reading_day", DayNumber(*ToCivilDay(reading.reading_date()))},
                                    {"capacity", reading.capacity()},
                                    {"change", int64_t{0}}}));
    v1::Facility next = stored.facility;
    return Rewrite(caller, "RecordCapacity", stored, &next, /*readings_changed=*/true);
  }));
  return reading;
}

}  // namespace jiangan::facilities
