// Fills a service's database with the benchmarks' synthetic records straight
// through its store, in process: the same checks and transactions as the
// service's own writes (rollups, history and all), without the gateway, gRPC
// and JSON in between, so that a million records and their events load in
// minutes rather than hours. Not a test; tests/bench/targets.sh runs it.
//   renewal     RECORDS projects, 500 to a batch, then a 2024 progress report
//               of each (month index % 12 + 1)
//   investment  RECORDS leads, then a funds entry of each registered lead
//   facilities  RECORDS facilities, then a capacity reading of each
// Prints what it loaded and how long it took.
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/identity/identity.h"
#include "common/storage/open_database.h"
#include "services/facilities/facility_store.h"
#include "services/investment/lead_store.h"
#include "services/renewal/project_store.h"
#include "tools/synthetic_facilities.h"
#include "tools/synthetic_leads.h"
#include "tools/synthetic_portfolio.h"

ABSL_FLAG(std::string, service, "renewal", "Whose records: renewal, investment or facilities.");
ABSL_FLAG(std::string, db_path, "", "The service's SQLite file (made if missing).");
ABSL_FLAG(int64_t, records, 10000, "How many records.");
ABSL_FLAG(uint64_t, random_seed, 20240101, "Seed of the generators (jiangan_cli's default).");

namespace jiangan {
namespace {

constexpr int kBatch = 500;
const Identity kLoader{"bench-loader@district", "区人民政府办公室", Role::kAdmin};

// Creates `records` records in batches through `create_batch(first, count)`,
// then one event per record through `record_event(index)`, which returns
// whether it recorded one.
template <typename CreateBatch, typename RecordEvent>
absl::Status Load(int64_t records, const CreateBatch& create_batch,
                  const RecordEvent& record_event) {
  const absl::Time start = absl::Now();
  for (int64_t first = 0; first < records; first += kBatch) {
    RETURN_IF_ERROR(create_batch(first, std::min<int64_t>(kBatch, records - first)));
  }
  const absl::Time created = absl::Now();
  int64_t events = 0;
  for (int64_t i = 0; i < records; ++i) {
    ASSIGN_OR_RETURN(const bool recorded, record_event(i));
    events += recorded;
  }
  std::cout << absl::StrFormat("%s: %d records in %.1f s, %d events in %.1f s\n",
                               absl::GetFlag(FLAGS_service), records,
                               absl::ToDoubleSeconds(created - start), events,
                               absl::ToDoubleSeconds(absl::Now() - created));
  return absl::OkStatus();
}

absl::Status LoadRenewal(SqlDb* db, int64_t records, uint64_t seed) {
  ASSIGN_OR_RETURN(auto store, renewal::ProjectStore::Open(db, renewal::ProjectStoreOptions()));
  return Load(
      records,
      [&](int64_t first, int64_t count) {
        renewal::v1::BatchCreateProjectsRequest batch;
        for (int64_t i = first; i < first + count; ++i) {
          *batch.add_requests() = tools::SyntheticProject(seed, i);
        }
        renewal::v1::BatchCreateProjectsResponse made;
        return store->BatchCreate(kLoader, batch, &made);
      },
      [&](int64_t i) -> absl::StatusOr<bool> {
        renewal::v1::ReportProgressRequest report;
        report.set_parent(absl::StrCat("projects/synthetic-", i));
        report.set_request_id(absl::StrCat("bench-report-", i));
        auto* progress = report.mutable_progress_report();
        progress->set_period(absl::StrFormat("2024-%02d", i % 12 + 1));
        progress->set_percent_complete(100);
        progress->mutable_achieved()->set_expropriation_signed_sqm(100 + i % 900);
        progress->mutable_achieved()->set_land_parcels(i % 2);
        RETURN_IF_ERROR(store->ReportProgress(kLoader, report).status());
        return true;
      });
}

absl::Status LoadInvestment(SqlDb* db, int64_t records, uint64_t seed) {
  ASSIGN_OR_RETURN(auto store, investment::LeadStore::Open(db, investment::LeadStoreOptions()));
  return Load(
      records,
      [&](int64_t first, int64_t count) {
        investment::v1::BatchCreateLeadsRequest batch;
        for (int64_t i = first; i < first + count; ++i) {
          *batch.add_requests() = tools::SyntheticLead(seed, i);
        }
        investment::v1::BatchCreateLeadsResponse made;
        return store->BatchCreate(kLoader, batch, &made);
      },
      [&](int64_t i) -> absl::StatusOr<bool> {
        if (tools::SyntheticLead(seed, i).lead().stage() != investment::v1::REGISTERED) {
          return false;
        }
        RETURN_IF_ERROR(store->RecordFunds(kLoader, tools::SyntheticFunds(seed, i, 0)).status());
        return true;
      });
}

absl::Status LoadFacilities(SqlDb* db, int64_t records, uint64_t seed) {
  ASSIGN_OR_RETURN(auto store,
                   facilities::FacilityStore::Open(db, facilities::FacilityStoreOptions()));
  return Load(
      records,
      [&](int64_t first, int64_t count) {
        facilities::v1::BatchCreateFacilitiesRequest batch;
        for (int64_t i = first; i < first + count; ++i) {
          *batch.add_requests() = tools::SyntheticFacility(seed, i);
        }
        facilities::v1::BatchCreateFacilitiesResponse made;
        return store->BatchCreate(kLoader, batch, &made);
      },
      [&](int64_t i) -> absl::StatusOr<bool> {
        RETURN_IF_ERROR(store->RecordCapacity(kLoader, tools::SyntheticCapacity(seed, i)).status());
        return true;
      });
}

absl::Status Run() {
  const std::string service = absl::GetFlag(FLAGS_service);
  const int64_t records = absl::GetFlag(FLAGS_records);
  const uint64_t seed = absl::GetFlag(FLAGS_random_seed);
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDb> db, OpenDatabase("", absl::GetFlag(FLAGS_db_path)));
  // A file made for a benchmark needs no durability: no fsync at commits.
  RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=OFF"));
  if (service == "renewal") return LoadRenewal(db.get(), records, seed);
  if (service == "investment") return LoadInvestment(db.get(), records, seed);
  if (service == "facilities") return LoadFacilities(db.get(), records, seed);
  return absl::InvalidArgumentError(
      absl::StrCat("--service: must be renewal, investment or facilities, got \"", service, "\""));
}

}  // namespace
}  // namespace jiangan

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (absl::Status status = jiangan::Run(); !status.ok()) {
    std::cerr << status << "\n";
    return 1;
  }
  return 0;
}
