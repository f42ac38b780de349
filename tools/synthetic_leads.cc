#include "tools/synthetic_leads.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/seed_line.h"
#include "services/investment/company_name.h"

namespace jiangan::tools {
namespace {

namespace v1 = investment::v1;

const std::vector<std::string>& Departments() {
  static const auto* names = new std::vector<std::string>{
      "区投资促进局", "区商务局", "区发展和改革局", "区科技和经济信息化局",
      "汉口滨江国际商务区管委会"};
  return *names;
}

// Made-up company names: four syllables, each one of 1,000 characters of
// its own block of CJK ideographs, so that names differ in one syllable
// share five of their seven bigrams (71%), below the duplicate threshold,
// and a bigram of two neighbouring syllables is one of a million: like
// real names, and unlike a small vocabulary, a million of them keep the
// duplicate check's candidates few (with 100 characters a position, its
// rarest bigrams were shared by ~50 names at 500,000 and creates slowed
// fivefold).
constexpr int kSyllablesPerPosition = 1000;
constexpr char32_t kSyllableBlocks[4] = {0x4E00, 0x5E00, 0x6E00, 0x7E00};

// The `k`-th syllable of position `position`, as UTF-8.
std::string Syllable(int position, int64_t k) {
  const char32_t c = kSyllableBlocks[position] + static_cast<char32_t>(4 * k);
  return {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          static_cast<char>(0x80 | (c & 0x3F))};
}

const char* const kTrades[] = {"金融", "设计", "物流", "文旅", "环保", "医疗", "数科", "智能", "置业", "控股"};

std::string CompanyName(int64_t index) {
  // The first two syllables spell the index (unique below a million); the
  // other two are scrambled from it, so that every pair of neighbours
  // varies.
  const int64_t k[4] = {index % kSyllablesPerPosition,
                        index / kSyllablesPerPosition % kSyllablesPerPosition,
                        index * 7919 % 999983 % kSyllablesPerPosition,
                        index * 104729 % 1000003 / 7 % kSyllablesPerPosition};
  std::string name = "武汉";
  for (int i = 0; i < 4; ++i) name += Syllable(i, k[i]);
  absl::StrAppend(&name, kTrades[index % 10], "有限公司");
  return name;
}

std::string Uscc(int64_t index) {
  std::string first17 = absl::StrFormat("91420102%09d", static_cast<int>(index % 1000000000));
  return first17 + investment::UsccCheckCharacter(first17);
}

type::v1::Date Day2024(int day_of_year) {
  const absl::CivilDay day = absl::CivilDay(2024, 1, 1) + day_of_year;
  type::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

}  // namespace

v1::CreateLeadRequest SyntheticLead(uint64_t seed, int64_t index) {
  std::mt19937_64 random(seed ^ (static_cast<uint64_t>(index) * 0x9E3779B97F4A7C15ull));
  auto pick = [&random](int n) { return static_cast<int>(random() % n); };
  v1::CreateLeadRequest request;
  request.set_lead_id(absl::StrCat("synthetic-", index));
  request.set_request_id(absl::StrCat("synthetic-lead-", seed, "-", index));
  v1::Lead* lead = request.mutable_lead();
  const std::string company = CompanyName(index);
  lead->set_display_name(absl::StrCat(company, "落户项目"));
  lead->mutable_company()->set_name(company);
  lead->set_industry(static_cast<v1::Industry>(1 + pick(11)));
  lead->set_channel(static_cast<v1::Channel>(1 + pick(7)));
  if (lead->channel() == v1::STATIONED_TEAM) lead->set_station_city(pick(2) ? "深圳" : "上海");
  if (lead->channel() == v1::BUSINESS_REFERRAL) lead->set_referring_company("三峡集团");
  if (lead->channel() == v1::FUND) lead->set_fund("江岸产业发展基金");
  if (lead->channel() == v1::BUILDING) lead->set_building("长江金岸数创大厦");
  lead->set_owner_department(Departments()[pick(static_cast<int>(Departments().size()))]);
  lead->set_headquarters(pick(10) == 0);
  lead->set_key_enterprise(pick(5) == 0);
  lead->set_head_enterprise(pick(40) == 0);
  lead->set_intended_investment_yuan(int64_t{10'000'000} * (1 + pick(500)));
  // Stages LEAD..REGISTERED, with the facts each needs; later stages need
  // funds, which come after the create.
  const auto stage = static_cast<v1::Stage>(1 + pick(5));
  lead->set_stage(stage);
  if (stage >= v1::SIGNED) {
    *lead->mutable_agreement_date() = Day2024(pick(300));
    lead->set_signed_investment_yuan(lead->intended_investment_yuan());
  }
  if (stage >= v1::REGISTERED) {
    lead->mutable_company()->set_uscc(Uscc(index));
    *lead->mutable_registration_date() = Day2024(300 + pick(60));
  }
  return request;
}

v1::RecordFundsRequest SyntheticFunds(uint64_t seed, int64_t index, int64_t entry) {
  std::mt19937_64 random(seed ^ (static_cast<uint64_t>(index) * 31 + entry) * 0xBF58476D1CE4E5B9ull);
  v1::RecordFundsRequest request;
  request.set_parent(absl::StrCat("leads/synthetic-", index));
  request.set_request_id(absl::StrCat("synthetic-funds-", seed, "-", index, "-", entry));
  *request.mutable_funds_entry()->mutable_arrival_date() = Day2024(static_cast<int>(random() % 366));
  request.mutable_funds_entry()->set_amount_yuan(int64_t{100'000} * (1 + random() % 1000));
  return request;
}

void WriteSyntheticLeads(int64_t count, uint64_t seed, std::ostream& out) {
  for (int64_t i = 0; i < count; ++i) {
    WriteSeedLine("/jiangan.investment.v1.InvestmentService/CreateLead", SyntheticLead(seed, i),
                  out);
  }
}

void WriteSyntheticFunds(int64_t count, int per_lead, uint64_t seed, std::ostream& out) {
  for (int64_t i = 0; i < count; ++i) {
    if (SyntheticLead(seed, i).lead().stage() != v1::REGISTERED) continue;
    for (int e = 0; e < per_lead; ++e) {
      WriteSeedLine("/jiangan.investment.v1.InvestmentService/RecordFunds",
                    SyntheticFunds(seed, i, e), out);
    }
  }
}

}  // namespace jiangan::tools
