// The investment service's store on a real SQLite file, with a clock the
// test sets: the pipeline, duplicates, personal information, the ledger,
// history and the weekly summary.
#include "services/investment/lead_store.h"
#include "tests/support/test_database.h"

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/investment/company_name.h"
#include "tests/support/child_process.h"
#include "tests/support/status_matchers.h"

namespace jiangan::investment {
namespace {

using ::jiangan::testing::IsOk;
using ::jiangan::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOffice[] = "区投资促进局";
const Identity kAdmin{"admin@district", "区人民政府办公室", Role::kAdmin};
const Identity kOfficeViewer{"viewer@investment", kOffice, Role::kViewer};
const Identity kOfficeEditor{"editor@investment", kOffice, Role::kEditor};
const Identity kOtherViewer{"viewer@development", "区发展和改革局", Role::kViewer};
const Identity kOtherEditor{"editor@commerce", "区商务局", Role::kEditor};

class LeadStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *(*jiangan::testing::TestDatabase::Create("investment")).Connect();
    Open();
  }

  // Opens the store on db_, as a restart would.
  void Open() {
    store_.reset();
    LeadStoreOptions options;
    options.page_token_key = "a key of the test that is long enough";
    options.reader_connections = 2;
    options.now = [this] { return now_; };
    auto store = LeadStore::Open(db_.get(), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  static v1::Lead Lead(const std::string& company) {
    v1::Lead lead;
    lead.set_display_name(company + "落户项目");
    lead.mutable_company()->set_name(company);
    lead.mutable_company()->set_contact_person("张三");
    lead.mutable_company()->set_contact_phone("027-82345678");
    lead.set_industry(v1::FINANCE_INSURANCE);
    lead.set_owner_department(kOffice);
    return lead;
  }

  absl::StatusOr<v1::Lead> Create(const v1::Lead& lead, const std::string& id,
                                  const Identity& caller = kOfficeEditor,
                                  const std::string& request_id = "", bool confirm = false) {
    v1::CreateLeadRequest request;
    *request.mutable_lead() = lead;
    request.set_lead_id(id);
    request.set_request_id(request_id);
    request.set_confirm_not_duplicate(confirm);
    return store_->Create(caller, request);
  }

  absl::StatusOr<v1::Lead> Get(const std::string& id, const Identity& caller = kAdmin) {
    v1::GetLeadRequest request;
    request.set_name("leads/" + id);
    return store_->Get(caller, request);
  }

  absl::StatusOr<v1::Lead> Update(const v1::Lead& patch, const std::vector<std::string>& paths,
                                  const Identity& caller = kOfficeEditor) {
    v1::UpdateLeadRequest request;
    *request.mutable_lead() = patch;
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return store_->Update(caller, request);
  }

  absl::StatusOr<v1::FundsEntry> Funds(const std::string& id, int64_t yuan, absl::CivilDay day,
                                       const std::string& request_id = "",
                                       bool correction = false) {
    v1::RecordFundsRequest request;
    request.set_parent("leads/" + id);
    request.set_request_id(request_id);
    *request.mutable_funds_entry()->mutable_arrival_date() = FromCivilDay(day);
    request.mutable_funds_entry()->set_amount_yuan(yuan);
    request.mutable_funds_entry()->set_correction(correction);
    return store_->RecordFunds(kOfficeEditor, request);
  }

  // Moves lead `id` to REGISTERED with the facts it needs.
  void Register(const std::string& id, const std::string& uscc) {
    v1::Lead patch;
    patch.set_name("leads/" + id);
    patch.set_stage(v1::REGISTERED);
    *patch.mutable_agreement_date() = FromCivilDay(absl::CivilDay(2024, 3, 1));
    patch.set_signed_investment_yuan(200'000'000);
    patch.mutable_company()->set_name(Get(id)->company().name());
    patch.mutable_company()->set_uscc(uscc);
    *patch.mutable_registration_date() = FromCivilDay(absl::CivilDay(2024, 4, 1));
    ASSERT_THAT(Update(patch, {"stage", "agreement_date", "signed_investment_yuan",
                               "company.uscc", "registration_date"}),
                IsOk());
  }

  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2024, 6, 15, 10, 0, 0), ChinaTimeZone());
  std::unique_ptr<SqlDb> db_;
  std::unique_ptr<LeadStore> store_;
};

TEST_F(LeadStoreTest, PersonalInformationOnlyForTheOwningDepartmentAndAdmins) {
  ASSERT_THAT(Create(Lead("泰康人寿保险有限责任公司"), "taikang"), IsOk());
  for (const Identity& caller : {kAdmin, kOfficeViewer, kOfficeEditor}) {
    auto lead = Get("taikang", caller);
    ASSERT_THAT(lead, IsOk());
    EXPECT_EQ(lead->company().contact_phone(), "027-82345678") << caller.principal;
  }
  for (const Identity& caller : {kOtherViewer, kOtherEditor}) {
    auto lead = Get("taikang", caller);
    ASSERT_THAT(lead, IsOk());
    EXPECT_EQ(lead->company().contact_person(), "***") << caller.principal;
    EXPECT_EQ(lead->company().contact_phone(), "***") << caller.principal;
    EXPECT_EQ(lead->company().name(), "泰康人寿保险有限责任公司");
  }
  v1::ListLeadsRequest list;
  v1::ListLeadsResponse page;
  ASSERT_THAT(store_->List(kOtherViewer, list, &page), IsOk());
  ASSERT_EQ(page.leads_size(), 1);
  EXPECT_EQ(page.leads(0).company().contact_phone(), "***");
  // The history never keeps the values either.
  v1::Lead patch;
  patch.set_name("leads/taikang");
  patch.mutable_company()->set_name("泰康人寿保险有限责任公司");
  patch.mutable_company()->set_contact_phone("13800000000");
  auto updated = Update(patch, {"company.contact_phone"});
  ASSERT_THAT(updated, IsOk());
  // What an update returns is what is stored: its new etag, its updater.
  EXPECT_EQ(updated->etag(), Get("taikang")->etag());
  EXPECT_EQ(updated->updater(), kOfficeEditor.principal);
  v1::ListLeadHistoryRequest history_request;
  history_request.set_parent("leads/taikang");
  v1::ListLeadHistoryResponse history;
  ASSERT_THAT(store_->ListHistory(history_request, &history), IsOk());
  ASSERT_EQ(history.changes_size(), 2);
  EXPECT_EQ(history.changes(1).method(), "UpdateLead");
  for (const auto& change : history.changes()) {
    for (const auto& field : change.field_changes()) {
      EXPECT_FALSE(absl::StrContains(field.old_value(), "027") ||
                   absl::StrContains(field.new_value(), "138"))
          << field.new_value();
    }
  }
}

TEST_F(LeadStoreTest, OneLeadPerUsccAndCloseNamesNeedConfirmation) {
  v1::Lead sumec = Lead("苏美达（华中）有限公司");
  sumec.mutable_company()->set_uscc("91350100M000100Y43");
  ASSERT_THAT(Create(sumec, "sumec"), IsOk());
  v1::Lead again = Lead("另一家公司");
  again.mutable_company()->set_uscc("91350100M000100Y43");
  EXPECT_THAT(Create(again, "again"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("leads/sumec")));
  // Full-width brackets, a space and another legal suffix: the same name.
  EXPECT_THAT(Create(Lead("苏美达 (华中) 股份有限公司"), "sumec-2"),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("leads/sumec (苏美达（华中）有限公司, 100%)")));
  v1::FindSimilarLeadsRequest find;
  find.set_company_name("苏美达华中有限公司");
  v1::FindSimilarLeadsResponse similar;
  ASSERT_THAT(store_->FindSimilar(find, &similar), IsOk());
  EXPECT_EQ(similar.normalized_name(), "苏美达华中");
  ASSERT_EQ(similar.similar_leads_size(), 1);
  EXPECT_EQ(similar.similar_leads(0).lead(), "leads/sumec");
  EXPECT_THAT(Create(Lead("苏美达 (华中) 股份有限公司"), "sumec-2", kOfficeEditor, "", true),
              IsOk());
  EXPECT_THAT(Create(Lead("中国光大金融租赁"), "everbright"), IsOk());
  EXPECT_THAT(Create(Lead("x"), "y", kOtherEditor),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("区投资促进局")));
}

// The bigram index moves with a renamed company, and a name with bigrams
// no lead holds yet still finds the lead it nearly matches.
TEST_F(LeadStoreTest, TheNameIndexFollowsRenamesAndNewBigrams) {
  ASSERT_THAT(Create(Lead("苏美达华中有限公司"), "sumec"), IsOk());
  ASSERT_THAT(Create(Lead("长江证券有限公司"), "changjiang"), IsOk());
  auto similar_to = [this](const std::string& name) {
    v1::FindSimilarLeadsRequest find;
    find.set_company_name(name);
    v1::FindSimilarLeadsResponse similar;
    EXPECT_THAT(store_->FindSimilar(find, &similar), IsOk());
    std::vector<std::string> leads;
    for (const auto& lead : similar.similar_leads()) leads.push_back(lead.lead());
    return leads;
  };
  // 中南 is held by no name: it takes a probe and finds nothing, the next
  // rarest finds sumec (4 of 5 bigrams shared, 89%).
  EXPECT_THAT(similar_to("苏美达华中南"), ::testing::ElementsAre("leads/sumec"));
  v1::Lead patch;
  patch.set_name("leads/sumec");
  patch.mutable_company()->set_name("长江证券华中有限公司");
  ASSERT_THAT(Update(patch, {"company.name"}), IsOk());
  EXPECT_THAT(similar_to("苏美达华中"), ::testing::IsEmpty());
  EXPECT_THAT(similar_to("长江证券华中"), ::testing::ElementsAre("leads/sumec"));
  EXPECT_THAT(Create(Lead("苏美达华中有限公司"), "sumec-again"), IsOk());
  EXPECT_THAT(Create(Lead("长江证券华中公司"), "close-to-sumec"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("leads/sumec ")));
}

TEST_F(LeadStoreTest, ThePipelineTheLedgerAndTheWeeklySummary) {
  ASSERT_THAT(Create(Lead("武汉江岸金融控股有限公司"), "a", kOfficeEditor, "create-a"), IsOk());
  // Retrying the create returns the first lead.
  ASSERT_THAT(Create(Lead("武汉江岸金融控股有限公司"), "a", kOfficeEditor, "create-a"), IsOk());
  ASSERT_THAT(Create(Lead("华中数字科技有限公司"), "b"), IsOk());
  EXPECT_THAT(Funds("a", 1000, absl::CivilDay(2024, 5, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("from REGISTERED on")));
  now_ += absl::Hours(24 * 3);
  Register("a", "91110000802100433B");
  ASSERT_THAT(Funds("a", 150'000'000, absl::CivilDay(2024, 5, 1), "wire-1"), IsOk());
  ASSERT_THAT(Funds("a", 150'000'000, absl::CivilDay(2024, 5, 1), "wire-1"), IsOk());  // retry
  ASSERT_THAT(Funds("a", 50'000'000, absl::CivilDay(2024, 6, 2)), IsOk());
  EXPECT_THAT(Funds("a", -300'000'000, absl::CivilDay(2024, 6, 3), "", true),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("below zero")));
  ASSERT_THAT(Funds("a", -20'000'000, absl::CivilDay(2024, 6, 3), "", true), IsOk());
  auto a = Get("a");
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->arrived_investment_yuan(), 180'000'000);
  EXPECT_TRUE(a->major_project());
  v1::Lead lost;
  lost.set_name("leads/b");
  lost.set_stage(v1::LOST);
  EXPECT_THAT(Update(lost, {"stage"}), StatusIs(absl::StatusCode::kFailedPrecondition,
                                               HasSubstr("lead.lost_reason")));
  lost.set_lost_reason("落户他区");
  ASSERT_THAT(Update(lost, {"stage", "lost_reason"}), IsOk());
  v1::Lead forward;
  forward.set_name("leads/a");
  forward.set_stage(v1::FUNDS_ARRIVING);
  ASSERT_THAT(Update(forward, {"stage"}), IsOk());

  v1::SummarizeLeadsRequest request;
  request.add_group_by(v1::BY_STAGE);
  request.set_funds_year(2024);
  v1::SummarizeLeadsResponse summary;
  ASSERT_THAT(store_->Summarize(request, &summary), IsOk());
  ASSERT_EQ(summary.groups_size(), 2);
  EXPECT_EQ(summary.groups(0).stage(), v1::FUNDS_ARRIVING);
  EXPECT_EQ(summary.groups(0).arrived_investment_yuan(), 180'000'000);
  EXPECT_EQ(summary.groups(0).signed_investment_yuan(), 200'000'000);
  EXPECT_EQ(summary.groups(1).stage(), v1::LOST);
  EXPECT_EQ(summary.lost_count(), 1);
  ASSERT_EQ(summary.funnel_size(), 7);
  EXPECT_EQ(summary.funnel(0).reached_count(), 2);
  EXPECT_EQ(summary.funnel(1).reached_count(), 1);   // CONTACTED: a skipped past it
  EXPECT_EQ(summary.funnel(4).reached_count(), 1);   // REGISTERED
  EXPECT_DOUBLE_EQ(summary.funnel(4).conversion_percent(), 100.0);
  EXPECT_EQ(summary.funnel(0).median_days_in_stage(), 3);
  ASSERT_EQ(summary.funds_by_month_size(), 12);
  EXPECT_EQ(summary.funds_by_month(4).month(), "2024-05");
  EXPECT_EQ(summary.funds_by_month(4).arrived_yuan(), 150'000'000);
  EXPECT_EQ(summary.funds_by_month(5).arrived_yuan(), 30'000'000);
  EXPECT_EQ(summary.funds_by_month(11).cumulative_yuan(), 180'000'000);

  request.mutable_filter()->set_major_project(false);
  ASSERT_THAT(store_->Summarize(request, &(summary = {})), IsOk());
  EXPECT_EQ(summary.funds_by_month(11).cumulative_yuan(), 0);
  EXPECT_THAT(store_->Summarize([] {
    v1::SummarizeLeadsRequest bad;
    bad.add_group_by(v1::BY_STAGE);
    bad.add_group_by(v1::BY_STAGE);
    return bad;
  }(), &summary), StatusIs(absl::StatusCode::kInvalidArgument, "group_by[1]: BY_STAGE is named twice"));
}

// A 2024 target counts what happened in 2024: funds that arrived then and
// key enterprises that reached REGISTERED then, whenever the leads began.
TEST_F(LeadStoreTest, WindowsCountEventsNotRecords) {
  now_ = absl::FromCivil(absl::CivilSecond(2023, 11, 1, 10, 0, 0), ChinaTimeZone());
  v1::Lead key = Lead("中国太平洋保险股份有限公司");
  key.set_key_enterprise(true);
  ASSERT_THAT(Create(key, "cpic"), IsOk());
  ASSERT_THAT(Create(Lead("湖北长江文创有限公司"), "changjiang"), IsOk());
  now_ = absl::FromCivil(absl::CivilSecond(2024, 5, 1, 10, 0, 0), ChinaTimeZone());
  Register("cpic", "91110000802100433B");
  ASSERT_THAT(Funds("cpic", 50'000'000, absl::CivilDay(2024, 4, 20)), IsOk());
  now_ = absl::FromCivil(absl::CivilSecond(2025, 1, 5, 10, 0, 0), ChinaTimeZone());
  ASSERT_THAT(Funds("cpic", 7'000'000, absl::CivilDay(2024, 12, 30)), IsOk());  // late, for 2024
  ASSERT_THAT(Funds("cpic", 1'000'000, absl::CivilDay(2025, 1, 2)), IsOk());

  v1::SummarizeLeadsRequest request;
  request.mutable_filter()->set_key_enterprise(true);
  *request.mutable_window_start() = FromCivilDay(absl::CivilDay(2024, 1, 1));
  *request.mutable_window_end() = FromCivilDay(absl::CivilDay(2024, 12, 31));
  v1::SummarizeLeadsResponse summary;
  ASSERT_THAT(store_->Summarize(request, &summary), IsOk());
  ASSERT_EQ(summary.groups_size(), 1);
  EXPECT_EQ(summary.groups(0).lead_count(), 1);
  EXPECT_EQ(summary.groups(0).arrived_investment_yuan(), 58'000'000);
  EXPECT_EQ(summary.groups(0).window_arrived_yuan(), 57'000'000);
  ASSERT_EQ(summary.groups(0).window_stage_entries_size(), 1);  // created in 2023
  EXPECT_EQ(summary.groups(0).window_stage_entries(0).stage(), v1::REGISTERED);
  EXPECT_EQ(summary.groups(0).window_stage_entries(0).count(), 1);

  // By month, the window's figures add up month by month.
  v1::SummarizeLeadsRequest monthly = request;
  monthly.set_window_by_month(true);
  summary.Clear();
  ASSERT_THAT(store_->Summarize(monthly, &summary), IsOk());
  const auto& months = summary.groups(0).window_months();
  ASSERT_EQ(months.size(), 2);
  EXPECT_EQ(months[0].month(), 4);  // registered on 1 April, funds on the 20th
  EXPECT_EQ(months[0].arrived_yuan(), 50'000'000);
  ASSERT_EQ(months[0].stage_entries_size(), 1);
  EXPECT_EQ(months[0].stage_entries(0).stage(), v1::REGISTERED);
  EXPECT_EQ(months[0].stage_entries(0).count(), 1);
  EXPECT_EQ(months[1].year(), 2024);
  EXPECT_EQ(months[1].month(), 12);
  EXPECT_EQ(months[1].arrived_yuan(), 7'000'000);
  EXPECT_EQ(months[1].stage_entries_size(), 0);

  request.clear_window_end();
  EXPECT_THAT(store_->Summarize(request, &summary),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("window_start")));
}

// 招引行业重点企业 counts enterprises on the day they registered: one keyed in
// on 3 January for 20 December counts in December's year, a lead lost and
// reopened counts once, and a corrected registration date moves it.
TEST_F(LeadStoreTest, AStageCountsEachLeadOnceOnTheDayItHappened) {
  now_ = absl::FromCivil(absl::CivilSecond(2024, 11, 1, 10, 0, 0), ChinaTimeZone());
  v1::Lead key = Lead("中国太平洋保险股份有限公司");
  key.set_key_enterprise(true);
  ASSERT_THAT(Create(key, "cpic"), IsOk());
  now_ = absl::FromCivil(absl::CivilSecond(2025, 1, 3, 10, 0, 0), ChinaTimeZone());
  v1::Lead registered;
  registered.set_name("leads/cpic");
  registered.set_stage(v1::REGISTERED);
  *registered.mutable_agreement_date() = FromCivilDay(absl::CivilDay(2024, 12, 1));
  registered.set_signed_investment_yuan(200'000'000);
  registered.mutable_company()->set_name("中国太平洋保险股份有限公司");
  registered.mutable_company()->set_uscc("91110000802100433B");
  *registered.mutable_registration_date() = FromCivilDay(absl::CivilDay(2024, 12, 20));
  ASSERT_THAT(Update(registered, {"stage", "agreement_date", "signed_investment_yuan",
                                  "company.uscc", "registration_date"}),
              IsOk());
  v1::Lead lost;
  lost.set_name("leads/cpic");
  lost.set_stage(v1::LOST);
  lost.set_lost_reason("总部另选城市");
  ASSERT_THAT(Update(lost, {"stage", "lost_reason"}), IsOk());
  v1::Lead reopened;
  reopened.set_name("leads/cpic");
  reopened.set_stage(v1::REGISTERED);
  ASSERT_THAT(Update(reopened, {"stage"}), IsOk());

  auto registrations = [&](int year) {
    v1::SummarizeLeadsRequest request;
    request.mutable_filter()->set_key_enterprise(true);
    *request.mutable_window_start() = FromCivilDay(absl::CivilDay(year, 1, 1));
    *request.mutable_window_end() = FromCivilDay(absl::CivilDay(year, 12, 31));
    v1::SummarizeLeadsResponse summary;
    EXPECT_THAT(store_->Summarize(request, &summary), IsOk());
    int64_t count = 0;
    for (const auto& entries : summary.groups(0).window_stage_entries()) {
      if (entries.stage() == v1::REGISTERED) count += entries.count();
    }
    return count;
  };
  EXPECT_EQ(registrations(2024), 1);  // keyed in 2025, registered in 2024; once
  EXPECT_EQ(registrations(2025), 0);

  // A file of schema v4 dated its entries the day they were keyed in and
  // had no window rollups: opening it dates them by the leads' own days.
  ASSERT_THAT(db_->Exec(absl::StrCat("UPDATE lead_stage_entries SET enter_day = ",
                                     DayNumber(absl::CivilDay(2025, 1, 3)))),
              IsOk());
  ASSERT_THAT(db_->Exec("DROP INDEX lead_stage_entries_lead"), IsOk());
  ASSERT_THAT(db_->Exec("DROP TABLE lead_entry_rollups"), IsOk());
  ASSERT_THAT(db_->SetSchemaVersion(4), IsOk());
  Open();
  EXPECT_EQ(registrations(2024), 1);
  EXPECT_EQ(registrations(2025), 0);

  v1::Lead corrected;
  corrected.set_name("leads/cpic");
  *corrected.mutable_registration_date() = FromCivilDay(absl::CivilDay(2025, 1, 2));
  ASSERT_THAT(Update(corrected, {"registration_date"}), IsOk());
  EXPECT_EQ(registrations(2024), 0);
  EXPECT_EQ(registrations(2025), 1);
}

TEST_F(LeadStoreTest, ListsFilterOrderAndPage) {
  for (int i = 0; i < 5; ++i) {
    v1::Lead lead = Lead(absl::StrCat("公司", std::string(1, static_cast<char>('a' + i)), "号"));
    lead.set_industry(i % 2 ? v1::DIGITAL_ECONOMY : v1::FINANCE_INSURANCE);
    ASSERT_THAT(Create(lead, absl::StrCat("l", i), kOfficeEditor, "", true), IsOk());
  }
  v1::ListLeadsRequest request;
  request.set_page_size(2);
  request.mutable_filter()->add_industries(v1::FINANCE_INSURANCE);
  request.set_order_by("display_name desc");
  std::vector<std::string> names;
  do {
    v1::ListLeadsResponse page;
    ASSERT_THAT(store_->List(kOtherViewer, request, &page), IsOk());
    for (const auto& lead : page.leads()) names.push_back(lead.name());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(names, ::testing::ElementsAre("leads/l4", "leads/l2", "leads/l0"));
  request.set_order_by("stage");
  v1::ListLeadsResponse page;
  EXPECT_THAT(store_->List(kOtherViewer, request, &page),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("order_by: \"stage\"")));
}

// Summaries without a window, or with one that starts a year, read the
// rollups, kept in step by every write; the same question asked so that it
// must read the leads (updated_since at the epoch selects them all) gives
// the same answer after creates, stage moves, funds, corrections, changes of
// what leads are grouped by, losses, reopenings, deletes and undeletes, and
// after a database from before the rollups (schema version 2) or before the
// window rollups (version 5) has them filled on opening.
TEST_F(LeadStoreTest, TheSummaryRollupsAgreeWithTheLeadsAfterEveryKindOfWrite) {
  now_ = absl::FromCivil(absl::CivilSecond(2024, 6, 1, 10, 0, 0), ChinaTimeZone());
  const std::vector<v1::Industry> industries = {v1::FINANCE_INSURANCE, v1::DIGITAL_ECONOMY};
  const std::vector<std::string> departments = {kOffice, "区商务局", "区金融服务中心"};
  const int kLeads = 12;
  for (int i = 0; i < kLeads; ++i) {
    v1::Lead lead = Lead(absl::StrCat("江岸测试", i, "号有限公司"));
    lead.set_industry(industries[i % industries.size()]);
    lead.set_owner_department(departments[i % departments.size()]);
    lead.set_key_enterprise(i % 4 == 0);
    lead.set_channel(i % 3 == 0 ? v1::FUND : v1::EQUITY);
    if (i % 3 == 0) lead.set_fund("长江产业基金");
    lead.set_intended_investment_yuan(100'000'000 * (i + 1));
    ASSERT_THAT(Create(lead, absl::StrCat("r", i), kAdmin, "", true), IsOk()) << i;
  }
  for (int i = 0; i < kLeads; ++i) {
    now_ += absl::Hours(24 * (1 + i % 5));
    v1::Lead patch;
    patch.set_name(absl::StrCat("leads/r", i));
    patch.set_stage(v1::CONTACTED);
    patch.mutable_company()->set_name(absl::StrCat("江岸测试", i, "号有限公司"));
    if (i % 2 == 0) {
      ASSERT_THAT(Update(patch, {"stage"}, kAdmin), IsOk()) << i;
    }
  }
  for (int i = 0; i < kLeads; i += 3) {
    now_ += absl::Hours(24 * 7);
    std::string uscc = absl::StrCat("9142010230", 1000000 + i);
    uscc += UsccCheckCharacter(uscc);
    v1::Lead patch;
    patch.set_name(absl::StrCat("leads/r", i));
    patch.set_stage(v1::REGISTERED);
    *patch.mutable_agreement_date() = FromCivilDay(absl::CivilDay(2024, 1 + i % 3, 5));
    patch.set_signed_investment_yuan(60'000'000 * (i + 1));
    patch.mutable_company()->set_name(absl::StrCat("江岸测试", i, "号有限公司"));
    patch.mutable_company()->set_uscc(uscc);
    *patch.mutable_registration_date() = FromCivilDay(absl::CivilDay(2024, 5, 1));
    ASSERT_THAT(Update(patch, {"stage", "agreement_date", "signed_investment_yuan",
                               "company.uscc", "registration_date"}, kAdmin),
                IsOk()) << i;
    v1::RecordFundsRequest funds;
    funds.set_parent(absl::StrCat("leads/r", i));
    *funds.mutable_funds_entry()->mutable_arrival_date() =
        FromCivilDay(absl::CivilDay(2024, 4 + i % 3, 20));
    funds.mutable_funds_entry()->set_amount_yuan(10'000'000 * (i + 1));
    ASSERT_THAT(store_->RecordFunds(kAdmin, funds), IsOk()) << i;
    *funds.mutable_funds_entry()->mutable_arrival_date() =
        FromCivilDay(absl::CivilDay(2023, 12, 1));
    ASSERT_THAT(store_->RecordFunds(kAdmin, funds), IsOk()) << i;
  }
  v1::RecordFundsRequest correction;
  correction.set_parent("leads/r3");
  *correction.mutable_funds_entry()->mutable_arrival_date() =
      FromCivilDay(absl::CivilDay(2024, 6, 1));
  correction.mutable_funds_entry()->set_amount_yuan(-5'000'000);
  correction.mutable_funds_entry()->set_correction(true);
  ASSERT_THAT(store_->RecordFunds(kAdmin, correction), IsOk());
  // A lead with stays and funds changes what it is grouped and filtered by:
  // its stays and funds move with it.
  v1::Lead moved;
  moved.set_name("leads/r6");
  moved.set_industry(v1::DIGITAL_ECONOMY);
  moved.set_owner_department("区商务局");
  ASSERT_THAT(Update(moved, {"industry", "owner_department"}, kAdmin), IsOk());
  v1::Lead lost;
  lost.set_name("leads/r4");
  lost.set_stage(v1::LOST);
  lost.set_lost_reason("落户他区");
  ASSERT_THAT(Update(lost, {"stage", "lost_reason"}, kAdmin), IsOk());
  // Reopened: it enters CONTACTED a second time in the year, and counts once.
  now_ += absl::Hours(24 * 30);
  v1::Lead reopened;
  reopened.set_name("leads/r4");
  reopened.set_stage(v1::CONTACTED);
  ASSERT_THAT(Update(reopened, {"stage"}, kAdmin), IsOk());
  for (const char* id : {"r9", "r5"}) {
    v1::DeleteLeadRequest remove;
    remove.set_name(absl::StrCat("leads/", id));
    ASSERT_THAT(store_->Delete(kAdmin, remove), IsOk());
  }
  v1::UndeleteLeadRequest restore;
  restore.set_name("leads/r5");
  ASSERT_THAT(store_->Undelete(kAdmin, restore), IsOk());

  auto summarize = [&](v1::SummarizeLeadsRequest request, bool from_rows) {
    if (from_rows) request.mutable_filter()->mutable_updated_since()->set_seconds(0);
    v1::SummarizeLeadsResponse response;
    EXPECT_THAT(store_->Summarize(request, &response), IsOk());
    return response.DebugString();
  };
  std::vector<v1::SummarizeLeadsRequest> questions(6);
  questions[0].set_funds_year(2024);
  questions[1].add_group_by(v1::BY_STAGE);
  questions[1].set_funds_year(2023);
  questions[2].add_group_by(v1::BY_INDUSTRY);
  questions[2].add_group_by(v1::BY_CHANNEL);
  questions[2].mutable_filter()->set_owner_department("区商务局");
  questions[2].set_funds_year(2024);
  questions[3].add_group_by(v1::BY_KEY_ENTERPRISE);
  questions[3].add_group_by(v1::BY_MAJOR_PROJECT);
  questions[3].mutable_filter()->add_stages(v1::REGISTERED);
  questions[3].mutable_filter()->add_stages(v1::CONTACTED);
  questions[3].set_funds_year(2024);
  questions[4].add_group_by(v1::BY_CREATE_MONTH);
  questions[4].mutable_filter()->set_key_enterprise(false);
  questions[5].add_group_by(v1::BY_AGREEMENT_MONTH);
  questions[5].mutable_filter()->add_industries(v1::DIGITAL_ECONOMY);
  questions[5].mutable_filter()->add_channels(v1::FUND);
  questions[5].mutable_filter()->set_owner_department("区商务局");
  questions[5].set_funds_year(2024);
  // Windows as the targets ask them: from the start of the year through a
  // day (partial months read by day), by month, grouped by the two flags;
  // the whole year filtered; and one that does not start a year.
  auto window = [](v1::SummarizeLeadsRequest* question, absl::CivilDay first,
                   absl::CivilDay last) {
    *question->mutable_window_start() = FromCivilDay(first);
    *question->mutable_window_end() = FromCivilDay(last);
  };
  questions.resize(9);
  window(&questions[6], absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 6, 20));
  questions[6].set_window_by_month(true);
  questions[6].add_group_by(v1::BY_KEY_ENTERPRISE);
  questions[6].add_group_by(v1::BY_HEAD_ENTERPRISE);
  window(&questions[7], absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31));
  questions[7].mutable_filter()->set_owner_department("区商务局");
  questions[7].add_group_by(v1::BY_STAGE);
  window(&questions[8], absl::CivilDay(2024, 2, 1), absl::CivilDay(2024, 8, 31));
  questions[8].set_window_by_month(true);
  auto all_agree = [&] {
    for (const v1::SummarizeLeadsRequest& question : questions) {
      EXPECT_EQ(summarize(question, false), summarize(question, true)) << question.DebugString();
    }
  };
  all_agree();
  EXPECT_GT(jiangan::testing::QueryInt64(db_.get(), "SELECT COUNT(*) FROM lead_stay_rollups"), 0);
  EXPECT_GT(jiangan::testing::QueryInt64(db_.get(), "SELECT COUNT(*) FROM lead_funds_rollups"), 0);
  EXPECT_GT(jiangan::testing::QueryInt64(db_.get(), "SELECT COUNT(*) FROM lead_entry_rollups"), 0);
  // Six leads entered CONTACTED in 2024; the reopened one twice counts once.
  v1::SummarizeLeadsRequest whole_year;
  window(&whole_year, absl::CivilDay(2024, 1, 1), absl::CivilDay(2024, 12, 31));
  v1::SummarizeLeadsResponse year;
  ASSERT_THAT(store_->Summarize(whole_year, &year), IsOk());
  int64_t contacted = -1;
  for (const v1::StageEntries& entries : year.groups(0).window_stage_entries()) {
    if (entries.stage() == v1::CONTACTED) contacted = entries.count();
  }
  EXPECT_EQ(contacted, 6) << year.DebugString();

  // A database from before the window rollups, and one from before any,
  // gets them filled from its leads.
  for (const char* table : {"lead_funds_rollups", "lead_entry_rollups"}) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  ASSERT_THAT(db_->SetSchemaVersion(5), IsOk());
  Open();
  all_agree();
  for (const char* table : {"lead_rollups", "lead_stay_rollups", "lead_funds_rollups",
                            "lead_entry_rollups"}) {
    ASSERT_THAT(db_->Exec(absl::StrCat("DROP TABLE ", table)), IsOk());
  }
  ASSERT_THAT(db_->SetSchemaVersion(2), IsOk());
  Open();
  all_agree();
  EXPECT_NE(summarize(questions[0], false), summarize(questions[2], false));
}


TEST_F(LeadStoreTest, ABatchCreatesEveryLeadOrNone) {
  auto batch_of = [&](const std::vector<std::pair<std::string, std::string>>& ids_and_companies,
                      const std::string& request_prefix = "") {
    v1::BatchCreateLeadsRequest batch;
    for (const auto& [id, company] : ids_and_companies) {
      v1::CreateLeadRequest* one = batch.add_requests();
      *one->mutable_lead() = Lead(company);
      one->set_lead_id(id);
      if (!request_prefix.empty()) one->set_request_id(request_prefix + id);
    }
    return batch;
  };
  v1::BatchCreateLeadsResponse made;
  ASSERT_THAT(store_->BatchCreate(kOfficeEditor,
                                  batch_of({{"b1", "长江证券股份有限公司"},
                                            {"b2", "华中数字科技有限公司"},
                                            {"b3", "武汉光谷生物医药有限公司"}},
                                           "r-"),
                                  &made),
              IsOk());
  ASSERT_EQ(made.leads_size(), 3);
  EXPECT_EQ(made.leads(1).name(), "leads/b2");
  EXPECT_EQ(made.leads(1).stage(), v1::LEAD);
  // Repeated request_ids give what the first batch made, and make nothing.
  v1::BatchCreateLeadsResponse again;
  ASSERT_THAT(store_->BatchCreate(kOfficeEditor,
                                  batch_of({{"b1", "长江证券股份有限公司"},
                                            {"b2", "华中数字科技有限公司"}},
                                           "r-"),
                                  &again),
              IsOk());
  EXPECT_EQ(again.leads(0).etag(), made.leads(0).etag());

  // One refused create refuses the batch, named by its place, and keeps
  // nothing of the others: a bad field, a taken id, a name close to an
  // open lead's or to an earlier lead of the same batch, a missing right.
  v1::BatchCreateLeadsResponse none;
  v1::BatchCreateLeadsRequest invalid = batch_of({{"c1", "江汉大学科技园有限公司"}, {"c2", "某某"}});
  invalid.mutable_requests(1)->mutable_lead()->set_intended_investment_yuan(-1);
  EXPECT_THAT(store_->BatchCreate(kOfficeEditor, invalid, &none),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requests[1].lead.intended_investment_yuan")));
  EXPECT_THAT(store_->BatchCreate(kOfficeEditor,
                                  batch_of({{"c1", "江汉大学科技园有限公司"},
                                            {"b3", "湖北港口集团有限公司"}}),
                                  &none),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("requests[1].")));
  EXPECT_THAT(store_->BatchCreate(kOfficeEditor,
                                  batch_of({{"c1", "江汉大学科技园有限公司"},
                                            {"c2", "长江证券股份有限公司"}}),
                                  &none),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("requests[1].lead.company.name")));
  EXPECT_THAT(store_->BatchCreate(kOfficeEditor,
                                  batch_of({{"c1", "江汉大学科技园有限公司"},
                                            {"c2", "江汉大学科技园有限公司"}}),
                                  &none),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("requests[1].")));
  EXPECT_THAT(store_->BatchCreate(kOtherEditor, batch_of({{"c1", "江汉大学科技园有限公司"}}), &none),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("requests[0].")));
  EXPECT_THAT(store_->BatchCreate(kOfficeEditor, v1::BatchCreateLeadsRequest(), &none),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requests: must hold 1 to 1000 leads")));
  EXPECT_EQ(none.leads_size(), 0);
  EXPECT_EQ(Get("c1").status().code(), absl::StatusCode::kNotFound);

  v1::SummarizeLeadsResponse summary;
  ASSERT_THAT(store_->Summarize(v1::SummarizeLeadsRequest(), &summary), IsOk());
  EXPECT_EQ(summary.groups(0).lead_count(), 3);
}

}  // namespace
}  // namespace jiangan::investment
