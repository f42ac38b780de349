// Supervision benchmark (prints figures; it is not a test): loads N tickets
// through the store in process (a year of issues to 40 departments: the
// last six weeks' still being worked on, 2% of the older ones a backlog
// left open, the rest closed), then times a page of
// ListTickets three ways and the year's scorecard, at 10k and at 100k
// tickets in one run, and prints the ratios. The goal: 100k within
// 2x of 10k.
#include <algorithm>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/storage/open_database.h"
#include "common/storage/sql_writer.h"
#include "services/supervision/ticket_store.h"

ABSL_FLAG(std::vector<std::string>, sizes, std::vector<std::string>({"10000", "100000"}),
          "Ticket counts to measure.");
ABSL_FLAG(std::string, dir, "/tmp", "Where the SQLite files go.");
ABSL_FLAG(std::string, calendar_path, "seed/calendar/official.json", "The working calendar.");
ABSL_FLAG(int, repeats, 30, "Timed calls per figure; the median is printed.");
ABSL_FLAG(bool, keep, false, "Keep the SQLite files, e.g. to look at query plans.");

namespace jiangan::supervision {
namespace {

absl::Time At(absl::CivilDay day, int hour) {
  return absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), hour, 0, 0),
                         ChinaTimeZone());
}

std::string Department(int i) { return absl::StrCat("区第", i % 40, "局"); }

struct Figures {
  double list_red_ms = 0, list_department_ms = 0, list_all_ms = 0, scorecard_ms = 0;
};

template <typename Call>
double MedianMs(int repeats, Call call) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    call();
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

absl::StatusOr<Figures> Measure(int tickets) {
  const std::string path = absl::StrCat(absl::GetFlag(FLAGS_dir), "/supervision-bench-",
                                        tickets, "-", getpid(), ".db");
  std::remove(path.c_str());
  auto db = OpenDatabase("", path);
  if (!db.ok()) return db.status();
  SqlWriter writer(db->get());
  absl::Time now = At(absl::CivilDay(2025, 1, 2), 9);
  TicketStoreOptions options;
  options.page_token_key = "the benchmark's page token key, long enough";
  options.now = [&now] { return now; };
  auto calendar = LoadWorkCalendar({absl::GetFlag(FLAGS_calendar_path)});
  if (!calendar.ok()) return calendar.status();
  auto store = TicketStore::Open(&writer, *std::move(calendar), options);
  if (!store.ok()) return store.status();
  const Identity office{"bench@office", "区委督查室", Role::kAdmin};
  const auto load_start = std::chrono::steady_clock::now();
  for (int i = 0; i < tickets; ++i) {
    now = At(absl::CivilDay(2025, 1, 2) + static_cast<int>(360LL * i / tickets), 9);
    v1::CreateTicketRequest request;
    v1::Ticket* ticket = request.mutable_ticket();
    ticket->set_title(absl::StrCat("督办单 ", i));
    ticket->mutable_subject()->set_matter(absl::StrCat("事项 ", i));
    ticket->set_demand("按期办结。");
    ticket->set_assignee_department(Department(i));
    ticket->set_time_limit_working_days(5 + i % 16);
    auto made = (*store)->Create(office, request, [](v1::Subject* subject) {
      subject->set_display_name(subject->matter());
      return absl::OkStatus();
    });
    if (!made.ok()) return made.status();
    // The last six weeks' tickets are still being worked on (a tenth left
    // issued, a tenth accepted, a tenth answered); of the older ones a
    // backlog of 2% stays open, the rest are closed.
    const bool recent = now > At(absl::CivilDay(2025, 11, 20), 0);
    const int fate = recent ? i % 10 : (i % 50 < 2 ? i % 50 : 9);  // 0 issued, 1 accepted,
                                                                    // 2 answered, else closed
    if (fate == 0) continue;
    now += absl::Hours(20);
    v1::AcceptTicketRequest accept;
    accept.set_name(made->name());
    if (auto accepted = (*store)->Accept(office, accept); !accepted.ok()) return accepted.status();
    if (fate == 1) continue;
    now += absl::Hours(24 * (3 + i % 12));
    v1::RespondTicketRequest respond;
    respond.set_name(made->name());
    respond.mutable_response()->set_progress("已办理。");
    if (auto answered = (*store)->Respond(office, respond); !answered.ok()) {
      return answered.status();
    }
    if (fate == 2) continue;
    now += absl::Hours(48);
    v1::CloseTicketRequest close;
    close.set_name(made->name());
    if (auto closed = (*store)->Close(office, close); !closed.ok()) return closed.status();
  }
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  std::printf("loaded %d tickets in %.1f s\n", tickets, load_s);
  now = At(absl::CivilDay(2025, 12, 31), 10);
  Figures figures;
  const int repeats = absl::GetFlag(FLAGS_repeats);
  auto list = [&](const v1::ListTicketsRequest& request) {
    v1::ListTicketsResponse response;
    if (!(*store)->List(request, &response).ok() || response.tickets_size() == 0) std::abort();
  };
  v1::ListTicketsRequest red;
  red.mutable_filter()->add_lamps(v1::RED);
  figures.list_red_ms = MedianMs(repeats, [&] { list(red); });
  v1::ListTicketsRequest department;
  department.mutable_filter()->set_assignee_department(Department(0));  // its backlog and recent
  // Its tickets waiting on it, as the department's own view lists them.
  department.mutable_filter()->add_lamps(v1::RED);
  department.mutable_filter()->add_lamps(v1::YELLOW);
  department.mutable_filter()->add_lamps(v1::GREEN);
  department.set_order_by("deadline");
  figures.list_department_ms = MedianMs(repeats, [&] { list(department); });
  figures.list_all_ms = MedianMs(repeats, [&] { list(v1::ListTicketsRequest()); });
  v1::SummarizeDepartmentsRequest year;
  *year.mutable_period_start() = FromCivilDay(absl::CivilDay(2025, 1, 1));
  *year.mutable_period_end() = FromCivilDay(absl::CivilDay(2025, 12, 31));
  figures.scorecard_ms = MedianMs(repeats, [&] {
    v1::SummarizeDepartmentsResponse response;
    if (!(*store)->SummarizeDepartments(year, &response).ok() || response.scores_size() != 40) {
      std::abort();
    }
  });
  store->reset();
  if (!absl::GetFlag(FLAGS_keep)) std::remove(path.c_str());
  return figures;
}

}  // namespace
}  // namespace jiangan::supervision

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::vector<std::pair<int, jiangan::supervision::Figures>> runs;
  for (const std::string& size : absl::GetFlag(FLAGS_sizes)) {
    const int tickets = std::stoi(size);
    auto figures = jiangan::supervision::Measure(tickets);
    if (!figures.ok()) {
      std::fprintf(stderr, "%s\n", figures.status().ToString().c_str());
      return 1;
    }
    runs.emplace_back(tickets, *figures);
  }
  std::printf("\n%-10s %14s %18s %12s %14s   (median ms, SQLite, in process)\n", "tickets",
              "list RED page", "dept waiting by due", "list page", "year scorecard");
  for (const auto& [tickets, f] : runs) {
    std::printf("%-10d %14.3f %18.3f %12.3f %14.3f\n", tickets, f.list_red_ms,
                f.list_department_ms, f.list_all_ms, f.scorecard_ms);
  }
  if (runs.size() >= 2) {
    const auto& a = runs.front().second;
    const auto& b = runs.back().second;
    std::printf("%-10s %14.2f %18.2f %12.2f %14.2f   (%d / %d; goal: at most 2)\n", "ratio",
                b.list_red_ms / a.list_red_ms, b.list_department_ms / a.list_department_ms,
                b.list_all_ms / a.list_all_ms, b.scorecard_ms / a.scorecard_ms,
                runs.back().first, runs.front().first);
  }
  return 0;
}
