#include "services/investment/lead_sql.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "google/protobuf/util/time_util.h"
#include "services/investment/company_name.h"

namespace jiangan::investment {
namespace {

using google::protobuf::util::TimeUtil;

constexpr SqlColumn kDerivedColumns[] = {
    {"deleted", "INTEGER NOT NULL"},         {"stage", "INTEGER NOT NULL"},
    {"furthest_stage", "INTEGER NOT NULL"},  {"industry", "INTEGER NOT NULL"},
    {"channel", "INTEGER NOT NULL"},         {"owner_department", "TEXT NOT NULL"},
    {"display_name", "TEXT NOT NULL"},       {"normalized_name", "TEXT NOT NULL"},
    {"uscc", "TEXT UNIQUE"},                 {"headquarters", "INTEGER NOT NULL"},
    {"key_enterprise", "INTEGER NOT NULL"},  {"head_enterprise", "INTEGER NOT NULL"},
    {"foreign_invested", "INTEGER NOT NULL"}, {"major_project", "INTEGER NOT NULL"},
    {"create_us", "INTEGER NOT NULL"},       {"update_us", "INTEGER NOT NULL"},
    {"create_month", "TEXT NOT NULL"},       {"agreement_month", "TEXT NOT NULL"},
    {"intended", "INTEGER NOT NULL"},        {"signed", "INTEGER NOT NULL"},
    {"arrived", "INTEGER NOT NULL"}};

int64_t Micros(const google::protobuf::Timestamp& time) {
  return TimeUtil::TimestampToMicroseconds(time);
}

std::string MonthOf(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d", day.year(), day.month());
}

// The furthest pipeline stage a lead has reached (LOST counts the stage it
// was lost from), for the funnel.
int64_t FurthestStage(const v1::Lead& lead) {
  int64_t furthest = 0;
  for (const v1::StageChange& change : lead.stage_history()) {
    if (change.stage() != v1::LOST) furthest = std::max<int64_t>(furthest, change.stage());
  }
  return furthest;
}

void AndBool(const char* column, bool has, bool value, SqlWhere* where) {
  if (has) where->And(absl::StrCat(column, " = ?"), {int64_t{value}});
}

// What a LeadFilter may name besides company names and update times, in
// the order of the stay and funds rollups' first dimensions.
const std::vector<SqlColumn>& FilterDimensions() {
  static const auto* columns = new std::vector<SqlColumn>{
      {"stage", "INTEGER NOT NULL"},          {"industry", "INTEGER NOT NULL"},
      {"channel", "INTEGER NOT NULL"},        {"owner_department", "TEXT NOT NULL"},
      {"headquarters", "INTEGER NOT NULL"},   {"key_enterprise", "INTEGER NOT NULL"},
      {"head_enterprise", "INTEGER NOT NULL"}, {"foreign_invested", "INTEGER NOT NULL"},
      {"major_project", "INTEGER NOT NULL"}};
  return *columns;
}

// The filter dimensions plus `extra`, for the stay and funds rollups.
std::vector<SqlColumn> FilterDimensionsAnd(std::initializer_list<SqlColumn> extra) {
  std::vector<SqlColumn> columns = FilterDimensions();
  columns.insert(columns.end(), extra);
  return columns;
}

// The sets of the stay and funds rollups, over the filter dimensions (bits
// 0 to 8); `always` adds their own dimensions to every set.
std::vector<uint32_t> FilterSets(uint32_t always) {
  return {always,                   // everything
          always | 0b000000001,     // stage
          always | 0b000000110,     // industry, channel
          always | 0b000001000,     // owner department
          always | 0b111110000,     // the five flags
          always | 0b000001111};    // stage, industry, channel, owner department
}

// The sets of an event rollup: the filter sets once with the event's day
// bits and once with its month bits (see common/storage/rollup_period.h).
std::vector<uint32_t> EventSets(uint32_t by_month, uint32_t by_day) {
  std::vector<uint32_t> sets = FilterSets(by_month);
  for (uint32_t set : FilterSets(by_day)) sets.push_back(set);
  return sets;
}

// The bits of the dimensions `filter` names in `rollup`.
uint32_t FilterBits(const v1::LeadFilter& filter, const Rollup& rollup) {
  uint32_t bits = 0;
  if (filter.stages_size() > 0) bits |= rollup.Bit("stage");
  if (filter.industries_size() > 0) bits |= rollup.Bit("industry");
  if (filter.channels_size() > 0) bits |= rollup.Bit("channel");
  if (!filter.owner_department().empty()) bits |= rollup.Bit("owner_department");
  if (filter.has_headquarters()) bits |= rollup.Bit("headquarters");
  if (filter.has_key_enterprise()) bits |= rollup.Bit("key_enterprise");
  if (filter.has_head_enterprise()) bits |= rollup.Bit("head_enterprise");
  if (filter.has_foreign_invested()) bits |= rollup.Bit("foreign_invested");
  if (filter.has_major_project()) bits |= rollup.Bit("major_project");
  return bits;
}

// The columns that ListLeads filters on by equality.
constexpr const char* kFilterColumns[] = {"stage", "industry", "channel", "owner_department"};

}  // namespace

const ResourceRows& LeadRows() {
  static const auto* rows = new ResourceRows("leads", "lead_payloads", kDerivedColumns);
  return *rows;
}

std::string SchemaSql() {
  return absl::StrCat(
      LeadRows().SchemaSql(),
      "CREATE INDEX IF NOT EXISTS leads_stage ON leads(stage);"
      "CREATE INDEX IF NOT EXISTS leads_industry ON leads(industry);"
      "CREATE INDEX IF NOT EXISTS leads_channel ON leads(channel);"
      "CREATE INDEX IF NOT EXISTS leads_owner_department ON leads(owner_department);"
      "CREATE INDEX IF NOT EXISTS leads_normalized_name ON leads(normalized_name);"
      "CREATE INDEX IF NOT EXISTS leads_display_name ON leads(display_name);"
      "CREATE INDEX IF NOT EXISTS leads_update_us ON leads(update_us);"
      "CREATE INDEX IF NOT EXISTS leads_signed ON leads(signed);"
      "CREATE INDEX IF NOT EXISTS leads_arrived ON leads(arrived);"
      // The funds-arrived ledger; monthly figures read it by arrival day.
      "CREATE TABLE IF NOT EXISTS funds_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "lead_id TEXT NOT NULL, lead_seq INTEGER NOT NULL, request_id TEXT, "
      "arrival_day INTEGER NOT NULL, amount_yuan INTEGER NOT NULL, payload BLOB NOT NULL, "
      "UNIQUE (lead_id, request_id));"
      "CREATE INDEX IF NOT EXISTS funds_entries_lead ON funds_entries(lead_id, seq);"
      "CREATE INDEX IF NOT EXISTS funds_entries_day ON funds_entries(arrival_day);"
      "CREATE TABLE IF NOT EXISTS activities (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
      "lead_id TEXT NOT NULL, request_id TEXT, payload BLOB NOT NULL, "
      "UNIQUE (lead_id, request_id));"
      "CREATE INDEX IF NOT EXISTS activities_lead ON activities(lead_id, seq);"
      // Bigrams of every lead's normalized company name: the candidates of
      // a similarity question are found by index, not by a scan.
      "CREATE TABLE IF NOT EXISTS lead_name_grams (gram TEXT NOT NULL, lead_seq INTEGER NOT NULL, "
      "PRIMARY KEY (gram, lead_seq)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS lead_name_grams_lead ON lead_name_grams(lead_seq);"
      // How many names hold each bigram, so that the rarest of a name's
      // bigrams are known without counting index entries.
      "CREATE TABLE IF NOT EXISTS lead_name_gram_counts (gram TEXT PRIMARY KEY, "
      "names INTEGER NOT NULL) WITHOUT ROWID;"
      // Days each lead spent in each stage it has left: medians for the
      // funnel and for the time-in-stage rule.
      "CREATE TABLE IF NOT EXISTS lead_stage_stays (lead_seq INTEGER NOT NULL, "
      "stay_stage INTEGER NOT NULL, stay_days INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS lead_stage_stays_stage ON lead_stage_stays(stay_stage, stay_days);"
      // Every stage each lead entered and the day: windows count them.
      "CREATE TABLE IF NOT EXISTS lead_stage_entries (lead_seq INTEGER NOT NULL, "
      "entered_stage INTEGER NOT NULL, enter_day INTEGER NOT NULL);"
      "CREATE INDEX IF NOT EXISTS lead_stage_entries_day ON lead_stage_entries(enter_day);");
}

const Rollup& LeadRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "lead_rollups",
      .dimensions = {{"stage", "INTEGER NOT NULL"},
                     {"furthest_stage", "INTEGER NOT NULL"},
                     {"industry", "INTEGER NOT NULL"},
                     {"channel", "INTEGER NOT NULL"},
                     {"owner_department", "TEXT NOT NULL"},
                     {"headquarters", "INTEGER NOT NULL"},
                     {"key_enterprise", "INTEGER NOT NULL"},
                     {"head_enterprise", "INTEGER NOT NULL"},
                     {"foreign_invested", "INTEGER NOT NULL"},
                     {"major_project", "INTEGER NOT NULL"},
                     {"create_month", "TEXT NOT NULL"},
                     {"agreement_month", "TEXT NOT NULL"}},
      // The funnel needs the stage and the furthest stage in every set.
      .sets = {0b000000000011,    // the stages alone
               0b000000001111,    // industry, channel
               0b000000010011,    // owner department
               0b001111100011,    // the five flags
               0b010000000011,    // month created
               0b100000000011,    // month of agreement
               0b000000011111},   // industry, channel, owner department
      .count_column = "lead_count",
      .sums_column = "sums",
      .sum_names = {"lead.intended_investment_yuan", "lead.signed_investment_yuan",
                    "lead.arrived_investment_yuan"}});
  return *rollup;
}

const Rollup& StayRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "lead_stay_rollups",
      .dimensions = FilterDimensionsAnd(
          {{"stay_stage", "INTEGER NOT NULL"}, {"stay_days", "INTEGER NOT NULL"}}),
      .sets = FilterSets(0b11000000000),
      .count_column = "stay_count",
      .sums_column = "sums",
      .sum_names = {}});
  return *rollup;
}

const Rollup& FundsRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "lead_funds_rollups",
      .dimensions = FilterDimensionsAnd(
          {{"arrival_month", "INTEGER NOT NULL"}, {"arrival_day", "INTEGER NOT NULL"}}),
      .sets = EventSets(kFundsMonthBit, kFundsDayBit),
      .count_column = "entry_count",
      .sums_column = "sums",
      .sum_names = {"funds_entry.amount_yuan"}});
  return *rollup;
}

const Rollup& StageEntryRollup() {
  static const auto* rollup = new Rollup(RollupLayout{
      .table = "lead_entry_rollups",
      .dimensions = FilterDimensionsAnd({{"entered_stage", "INTEGER NOT NULL"},
                                         {"enter_day", "INTEGER NOT NULL"},
                                         {"enter_month", "INTEGER NOT NULL"}}),
      .sets = EventSets(kEnteredStageBit | kEnterDayBit, kEnteredStageBit | kEnterMonthBit),
      .count_column = "entry_count",
      .sums_column = "sums",
      .sum_names = {}});
  return *rollup;
}

std::string RollupSchemaSql() {
  return absl::StrCat(
      LeadRollup().SchemaSql(), StayRollup().SchemaSql(),
      LeadRows().OrderedFilterIndexesSql(kFilterColumns),
      "CREATE INDEX IF NOT EXISTS lead_stage_stays_lead ON lead_stage_stays(lead_seq);"
      "CREATE INDEX IF NOT EXISTS funds_entries_lead_seq ON funds_entries(lead_seq);");
}

std::string WindowRollupSchemaSql() {
  // Made anew, so that a file whose version was set back fills them once.
  return absl::StrCat("DROP TABLE IF EXISTS lead_funds_rollups;"
                      "DROP TABLE IF EXISTS lead_entry_rollups;",
                      FundsRollup().SchemaSql(),
                      StageEntryRollup().SchemaSql(),
                      FundsRollup().PeriodIndexSql("arrival_day"),
                      FundsRollup().PeriodIndexSql("arrival_month"),
                      StageEntryRollup().PeriodIndexSql("enter_day"),
                      StageEntryRollup().PeriodIndexSql("enter_month"));
}

std::string StageEntryIndexSql() {
  return "CREATE INDEX IF NOT EXISTS lead_stage_entries_lead ON "
         "lead_stage_entries(lead_seq, entered_stage);";
}

std::string FilterIndexSchemaSql() { return LeadRows().FilterIndexesSql(kFilterColumns); }

std::optional<LeadRollupSets> RollupSetsFor(const v1::SummarizeLeadsRequest& request,
                                           const std::optional<DayWindow>& window) {
  const v1::LeadFilter& filter = request.filter();
  if (!filter.company_name_contains().empty() || filter.has_updated_since()) return std::nullopt;
  if (window.has_value() && !StartsAYear(DayNumber(window->first), DayNumber(window->last))) {
    return std::nullopt;  // a lead's first entry of the year may fall before the window
  }
  std::vector<absl::string_view> grouped;
  for (int grouping : request.group_by()) {
    switch (grouping) {
      case v1::BY_STAGE: grouped.push_back("stage"); break;
      case v1::BY_INDUSTRY: grouped.push_back("industry"); break;
      case v1::BY_CHANNEL: grouped.push_back("channel"); break;
      case v1::BY_OWNER_DEPARTMENT: grouped.push_back("owner_department"); break;
      case v1::BY_CREATE_MONTH: grouped.push_back("create_month"); break;
      case v1::BY_AGREEMENT_MONTH: grouped.push_back("agreement_month"); break;
      case v1::BY_HEADQUARTERS: grouped.push_back("headquarters"); break;
      case v1::BY_KEY_ENTERPRISE: grouped.push_back("key_enterprise"); break;
      case v1::BY_HEAD_ENTERPRISE: grouped.push_back("head_enterprise"); break;
      case v1::BY_FOREIGN_INVESTED: grouped.push_back("foreign_invested"); break;
      case v1::BY_MAJOR_PROJECT: grouped.push_back("major_project"); break;
      default: return std::nullopt;  // a group per lead is a row per lead
    }
  }
  // The bits of the grouped dimensions in `rollup`; nullopt when it lacks one.
  auto grouped_bits = [&](const Rollup& rollup) -> std::optional<uint32_t> {
    uint32_t bits = 0;
    for (absl::string_view name : grouped) {
      if (rollup.Bit(name) == 0) return std::nullopt;
      bits |= rollup.Bit(name);
    }
    return bits;
  };
  const std::optional<uint32_t> lead_groups = grouped_bits(LeadRollup());
  if (!lead_groups) return std::nullopt;
  LeadRollupSets sets;
  auto covering = [](const Rollup& rollup, uint32_t needed, uint32_t* set) {
    const std::optional<uint32_t> found = rollup.SetCovering(needed);
    if (found) *set = *found;
    return found.has_value();
  };
  const uint32_t funds_filter = FilterBits(filter, FundsRollup());
  const uint32_t entries_filter = FilterBits(filter, StageEntryRollup());
  if (!covering(LeadRollup(), *lead_groups | FilterBits(filter, LeadRollup()), &sets.leads) ||
      !covering(StayRollup(), FilterBits(filter, StayRollup()), &sets.stays) ||
      !covering(FundsRollup(), funds_filter | kFundsMonthBit, &sets.funds_by_month)) {
    return std::nullopt;
  }
  if (!window.has_value()) return sets;
  // A window's figures are per group: its events' rollups keep the groups.
  const std::optional<uint32_t> funds_groups = grouped_bits(FundsRollup());
  const std::optional<uint32_t> entry_groups = grouped_bits(StageEntryRollup());
  if (!funds_groups || !entry_groups ||
      !covering(FundsRollup(), *funds_groups | funds_filter | kFundsMonthBit,
                &sets.window_funds_by_month) ||
      !covering(FundsRollup(), *funds_groups | funds_filter | kFundsDayBit,
                &sets.window_funds_by_day) ||
      !covering(StageEntryRollup(),
                *entry_groups | entries_filter | kEnteredStageBit | kEnterMonthBit,
                &sets.entries_by_month) ||
      !covering(StageEntryRollup(),
                *entry_groups | entries_filter | kEnteredStageBit | kEnterDayBit,
                &sets.entries_by_day)) {
    return std::nullopt;
  }
  return sets;
}

std::vector<SqlArg> DerivedValues(const v1::Lead& lead) {
  auto agreement = ToCivilDay(lead.agreement_date());
  SqlArg uscc = lead.company().uscc();
  // NULL keeps UNIQUE from binding the leads that have no code yet.
  return {int64_t{lead.has_delete_time()},
          int64_t{lead.stage()},
          FurthestStage(lead),
          int64_t{lead.industry()},
          int64_t{lead.channel()},
          lead.owner_department(),
          lead.display_name(),
          lead.company().normalized_name(),
          lead.company().uscc().empty() ? SqlArg(SqlNull{}) : uscc,
          int64_t{lead.headquarters()},
          int64_t{lead.key_enterprise()},
          int64_t{lead.head_enterprise()},
          int64_t{lead.foreign_invested()},
          int64_t{lead.major_project()},
          Micros(lead.create_time()),
          Micros(lead.update_time()),
          MonthOf(ChinaDayOf(absl::FromUnixMicros(Micros(lead.create_time())))),
          agreement.has_value() ? MonthOf(*agreement) : std::string(),
          lead.intended_investment_yuan(),
          lead.signed_investment_yuan(),
          lead.arrived_investment_yuan()};
}

absl::StatusOr<SqlWhere> FilterSql(const v1::LeadFilter& filter, bool show_deleted) {
  SqlWhere where;
  if (!show_deleted) where.And("deleted = 0");
  if (filter.stages_size() > 0) {
    ASSIGN_OR_RETURN(std::string list, EnumList("filter.stages", filter.stages(), v1::Stage_IsValid));
    where.And(absl::StrCat("stage IN ", list));
  }
  if (filter.industries_size() > 0) {
    ASSIGN_OR_RETURN(std::string list,
                     EnumList("filter.industries", filter.industries(), v1::Industry_IsValid));
    where.And(absl::StrCat("industry IN ", list));
  }
  if (filter.channels_size() > 0) {
    ASSIGN_OR_RETURN(std::string list,
                     EnumList("filter.channels", filter.channels(), v1::Channel_IsValid));
    where.And(absl::StrCat("channel IN ", list));
  }
  if (!filter.owner_department().empty()) {
    where.And("owner_department = ?", {filter.owner_department()});
  }
  AndBool("headquarters", filter.has_headquarters(), filter.headquarters(), &where);
  AndBool("key_enterprise", filter.has_key_enterprise(), filter.key_enterprise(), &where);
  AndBool("head_enterprise", filter.has_head_enterprise(), filter.head_enterprise(), &where);
  AndBool("foreign_invested", filter.has_foreign_invested(), filter.foreign_invested(), &where);
  AndBool("major_project", filter.has_major_project(), filter.major_project(), &where);
  if (!filter.company_name_contains().empty()) {
    RETURN_IF_ERROR(
        CheckLength("filter.company_name_contains", filter.company_name_contains(), 1, 100));
    where.And("instr(normalized_name, ?) > 0",
              {NormalizeCompanyName(filter.company_name_contains())});
  }
  if (filter.has_updated_since()) {
    if (filter.updated_since().seconds() < TimeUtil::kTimestampMinSeconds ||
        filter.updated_since().seconds() > TimeUtil::kTimestampMaxSeconds ||
        filter.updated_since().nanos() < 0 || filter.updated_since().nanos() > 999999999) {
      return absl::InvalidArgumentError("filter.updated_since: is not a valid timestamp");
    }
    where.And("update_us >= ?", {Micros(filter.updated_since())});
  }
  return where;
}

absl::Span<const OrderField> LeadOrderFields() {
  static constexpr OrderField kFields[] = {
      {"create_time", "seq"},
      {"display_name", "display_name", /*text=*/true},
      {"update_time", "update_us"},
      {"signed_investment_yuan", "signed"},
      {"arrived_investment_yuan", "arrived"},
  };
  return kFields;
}

absl::StatusOr<LeadDimension> DimensionOf(v1::LeadGrouping grouping) {
  auto number = [](const SqlArg& value) { return std::get<int64_t>(value); };
  auto text = [](const SqlArg& value) { return std::get<std::string>(value); };
  switch (grouping) {
    case v1::BY_STAGE:
      return LeadDimension{"stage", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_stage(static_cast<v1::Stage>(number(v)));
                           }};
    case v1::BY_INDUSTRY:
      return LeadDimension{"industry", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_industry(static_cast<v1::Industry>(number(v)));
                           }};
    case v1::BY_CHANNEL:
      return LeadDimension{"channel", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_channel(static_cast<v1::Channel>(number(v)));
                           }};
    case v1::BY_OWNER_DEPARTMENT:
      return LeadDimension{"owner_department", true, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_owner_department(text(v));
                           }};
    case v1::BY_CREATE_MONTH:
      return LeadDimension{"create_month", true, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_create_month(text(v));
                           }};
    case v1::BY_AGREEMENT_MONTH:
      return LeadDimension{"agreement_month", true, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_agreement_month(text(v));
                           }};
    case v1::BY_HEADQUARTERS:
      return LeadDimension{"headquarters", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_headquarters(number(v) != 0);
                           }};
    case v1::BY_KEY_ENTERPRISE:
      return LeadDimension{"key_enterprise", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_key_enterprise(number(v) != 0);
                           }};
    case v1::BY_HEAD_ENTERPRISE:
      return LeadDimension{"head_enterprise", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_head_enterprise(number(v) != 0);
                           }};
    case v1::BY_FOREIGN_INVESTED:
      return LeadDimension{"foreign_invested", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_foreign_invested(number(v) != 0);
                           }};
    case v1::BY_MAJOR_PROJECT:
      return LeadDimension{"major_project", false, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_major_project(number(v) != 0);
                           }};
    case v1::BY_LEAD:
      return LeadDimension{"leads.id", true, [=](const SqlArg& v, v1::LeadGroup* g) {
                             g->set_lead(absl::StrCat("leads/", text(v)));
                           }};
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          static_cast<int>(grouping), " is not a LeadGrouping other than UNSPECIFIED"));
  }
}

}  // namespace jiangan::investment
