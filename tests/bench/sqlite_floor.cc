// The service benchmarks' floor: the SQL that a service runs for a Get, a
// filtered List page and a Summarize (for summaries, the row scan that the
// rollups replace), run
// straight on its SQLite file by a few threads, each on its own connection,
// reading every column of every row. No gRPC, no protobuf, no identity
// checks, no summing: the service cannot answer faster than its queries.
// For facilities, also the nearby search two ways: "search_index", the service's
// own R*Tree search (nearby_search.h) and payload reads, in process; and
// "search_scan", a brute-force scan of every facility's coordinates.
// Prints one line per query: "{name} {req/s} {p50 ms} {p99 ms}".
#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/storage/sql_query.h"
#include "common/storage/sqlite_db.h"
#include "common/geo/earth.h"
#include "services/facilities/nearby_search.h"

ABSL_FLAG(std::string, service, "renewal", "Whose queries: renewal, investment or facilities.");
ABSL_FLAG(std::string, db_path, "", "The service's database file.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "How long each query runs.");
ABSL_FLAG(int, threads, 2, "Threads, each with its own connection.");
ABSL_FLAG(std::string, get_id, "synthetic-4242", "Id the Get query reads.");
ABSL_FLAG(std::string, sub_district, "后湖街道",
          "renewal and facilities: sub-district the List filters on.");
ABSL_FLAG(std::string, department, "区投资促进局", "investment: department the List filters on.");
ABSL_FLAG(int, funds_year, 2024, "investment: the year Summarize reads funds of.");
ABSL_FLAG(double, latitude, 30.65, "facilities: the search's centre.");
ABSL_FLAG(double, longitude, 114.31, "facilities: the search's centre.");
ABSL_FLAG(double, radius_meters, 1000, "facilities: the search's radius.");
ABSL_FLAG(int, limit, 10, "facilities: the search's most results.");

namespace {

struct Statement {
  std::string sql;
  std::vector<jiangan::SqlArg> args;
};

// What one request of the service runs: its statements in order, or, for
// work that is not a fixed list of statements, a function returning how
// many rows it read.
struct Query {
  std::string name;
  std::vector<Statement> statements;
  std::function<absl::StatusOr<int>(jiangan::SqlDb*)> run = nullptr;
};

// Runs `query` on every thread for the duration; prints its figures.
bool Run(const std::string& path, const Query& query) {
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  std::atomic<bool> failed{false};
  const absl::Time end = absl::Now() + absl::GetFlag(FLAGS_duration);
  auto work = [&] {
    auto db = jiangan::SqliteDb::Open(path);
    if (!db.ok()) {
      std::cerr << db.status() << "\n";
      failed = true;
      return;
    }
    std::vector<double> mine;
    while (absl::Now() < end && !failed) {
      const absl::Time begin = absl::Now();
      size_t bytes = 0;
      int rows = 0;
      if (query.run) {
        auto read = query.run(db->get());
        if (!read.ok()) {
          std::cerr << read.status() << "\n";
          failed = true;
          return;
        }
        rows = *read;
        bytes = static_cast<size_t>(rows);
      }
      for (const Statement& statement : query.statements) {
        auto stmt = (*db)->Prepare(statement.sql);
        if (!stmt.ok()) {
          std::cerr << stmt.status() << "\n";
          failed = true;
          return;
        }
        jiangan::Bind(&*stmt, 1, statement.args);
        while (true) {
          auto row = stmt->Step();
          if (!row.ok()) {
            std::cerr << row.status() << "\n";
            failed = true;
            return;
          }
          if (!*row) break;
          ++rows;
          // Every column is read, as the service reads it.
          for (int column = 0; column < stmt->ColumnCount(); ++column) {
            bytes += stmt->ColumnBlob(column).size();
          }
        }
      }
      if (rows == 0 || bytes == 0) {
        std::cerr << query.name << ": no rows\n";
        failed = true;
        return;
      }
      mine.push_back(absl::ToDoubleMilliseconds(absl::Now() - begin));
    }
    absl::MutexLock lock(&mu);
    latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
  };
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int i = 0; i < absl::GetFlag(FLAGS_threads); ++i) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (failed || latencies_ms.empty()) return false;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto at = [&](double q) {
    return latencies_ms[std::min(latencies_ms.size() - 1,
                                 static_cast<size_t>(q * latencies_ms.size()))];
  };
  std::cout << absl::StrFormat("%s %.2f %.2f %.2f\n", query.name, latencies_ms.size() / seconds,
                               at(0.50), at(0.99));
  return true;
}

// The statements the renewal store builds for the benchmark's requests.
std::vector<Query> RenewalQueries() {
  return {
      {"get",
       {{"SELECT seq, id, version, deleted, payload FROM projects JOIN project_payloads "
         "USING (seq) WHERE id = ?",
         {absl::GetFlag(FLAGS_get_id)}}}},
      {"list",
       {{"SELECT seq, id, version, deleted, payload, seq FROM projects JOIN project_payloads "
         "USING (seq) WHERE 1 AND deleted = 0 AND kind IN (1) AND sub_district = ? "
         "ORDER BY seq LIMIT 51",
         {absl::GetFlag(FLAGS_sub_district)}}}},
      // The service sums the rows' packed totals itself; its floor is the
      // scan that reads them.
      {"summarize", {{"SELECT kind, phase, totals FROM projects WHERE 1 AND deleted = 0", {}}}},
  };
}

// The statements the lead store builds for the benchmark's requests: Get,
// a List page filtered by industry and department, and the funnel
// Summarize (groups by stage, stage stays, funds by month of a year).
std::vector<Query> InvestmentQueries() {
  const int year = absl::GetFlag(FLAGS_funds_year);
  const int64_t first = jiangan::DayNumber(absl::CivilDay(year, 1, 1));
  const int64_t last = jiangan::DayNumber(absl::CivilDay(year, 12, 31));
  return {
      {"get",
       {{"SELECT seq, id, version, deleted, payload FROM leads JOIN lead_payloads USING (seq) "
         "WHERE id = ?",
         {absl::GetFlag(FLAGS_get_id)}}}},
      {"list",
       {{"SELECT seq, id, version, deleted, payload, seq FROM leads JOIN lead_payloads "
         "USING (seq) WHERE 1 AND deleted = 0 AND industry IN (7) AND owner_department = ? "
         "ORDER BY seq LIMIT 51",
         {absl::GetFlag(FLAGS_department)}}}},
      {"summarize",
       {{"SELECT stage, intended, signed, arrived, stage, furthest_stage FROM leads WHERE 1 "
         "AND deleted = 0",
         {}},
        {"SELECT stay_stage, stay_days FROM lead_stage_stays JOIN leads ON leads.seq = "
         "lead_stage_stays.lead_seq WHERE 1 AND deleted = 0",
         {}},
        {"SELECT arrival_day, amount_yuan FROM funds_entries JOIN leads ON leads.seq = "
         "funds_entries.lead_seq WHERE arrival_day BETWEEN ? AND ? AND 1 AND deleted = 0",
         {first, last}}}},
  };
}

// Reads the payloads of the rows found, as the service does before it
// answers; returns how many.
absl::StatusOr<int> ReadPayloads(jiangan::SqlDb* db,
                                 const std::vector<jiangan::facilities::NearbyHit>& hits) {
  for (const auto& hit : hits) {
    auto stmt = db->Prepare("SELECT payload FROM facility_payloads WHERE seq = ?");
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt64(1, hit.seq);
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row || stmt->ColumnBlob(0).empty()) return absl::DataLossError("no payload");
  }
  return static_cast<int>(hits.size());
}

std::vector<Query> FacilitiesQueries() {
  jiangan::facilities::NearbyQuery nearby;
  nearby.latitude = absl::GetFlag(FLAGS_latitude);
  nearby.longitude = absl::GetFlag(FLAGS_longitude);
  nearby.radius_meters = absl::GetFlag(FLAGS_radius_meters);
  nearby.limit = absl::GetFlag(FLAGS_limit);
  Query index{"search_index", {}, [nearby](jiangan::SqlDb* db) -> absl::StatusOr<int> {
                auto hits = jiangan::facilities::FindNearby(db, nearby);
                if (!hits.ok()) return hits.status();
                return ReadPayloads(db, *hits);
              }};
  Query scan{"search_scan", {}, [nearby](jiangan::SqlDb* db) -> absl::StatusOr<int> {
               auto stmt = db->Prepare("SELECT seq, latitude, longitude FROM facility_places");
               if (!stmt.ok()) return stmt.status();
               std::vector<jiangan::facilities::NearbyHit> hits;
               while (true) {
                 auto row = stmt->Step();
                 if (!row.ok()) return row.status();
                 if (!*row) break;
                 const double distance = jiangan::geo::HaversineMeters(
                     nearby.latitude, nearby.longitude, stmt->ColumnDouble(1),
                     stmt->ColumnDouble(2));
                 if (distance <= nearby.radius_meters) hits.push_back({stmt->ColumnInt64(0), distance});
               }
               const size_t keep = std::min<size_t>(hits.size(), nearby.limit);
               std::partial_sort(hits.begin(), hits.begin() + keep, hits.end(),
                                 [](const auto& a, const auto& b) {
                                   return a.distance_meters < b.distance_meters;
                                 });
               hits.resize(keep);
               return ReadPayloads(db, hits);
             }};
  const int64_t first = jiangan::DayNumber(absl::CivilDay(2024, 1, 1));
  const int64_t last = jiangan::DayNumber(absl::CivilDay(2024, 12, 31));
  return {
      {"get",
       {{"SELECT seq, id, version, deleted, payload FROM facilities JOIN facility_payloads "
         "USING (seq) WHERE id = ?",
         {absl::GetFlag(FLAGS_get_id)}}}},
      {"list",
       {{"SELECT seq, id, version, deleted, payload, seq FROM facilities JOIN "
         "facility_payloads USING (seq) WHERE 1 AND deleted = 0 AND kind IN (12) AND "
         "sub_district = ? ORDER BY seq LIMIT 51",
         {absl::GetFlag(FLAGS_sub_district)}}}},
      // The row scans the rollups replace: every facility, and the readings
      // of the period.
      {"summarize",
       {{"SELECT kind, kind, 1, capacity, in_use, service_day FROM facilities WHERE 1 AND "
         "deleted = 0",
         {}},
        {"SELECT kind, kind, change FROM capacity_readings JOIN facilities ON facilities.seq = "
         "capacity_readings.facility_seq WHERE reading_day BETWEEN ? AND ? AND 1 AND deleted = 0",
         {first, last}}}},
      index,
      scan};
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string path = absl::GetFlag(FLAGS_db_path);
  const std::string service = absl::GetFlag(FLAGS_service);
  if (service != "renewal" && service != "investment" && service != "facilities") {
    std::cerr << "--service: must be renewal, investment or facilities\n";
    return 2;
  }
  const std::vector<Query> queries = service == "renewal"      ? RenewalQueries()
                                     : service == "investment" ? InvestmentQueries()
                                                               : FacilitiesQueries();
  for (const Query& query : queries) {
    if (!Run(path, query)) return 1;
  }
  return 0;
}
