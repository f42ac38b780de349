// The generic AIP store (Get, List, Create, Update over one SQLite table),
// under the investment service's lead policy, on a real SQLite file.
#include "common/resource_store.h"

#include "gtest/gtest.h"
#include "services/investment/lead_policy.h"
#include "tests/support/child_process.h"

namespace jiangan::investment {
namespace {

using v1::Lead;

class ResourceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    table_.reset();
    db_.reset();
    db_ = *SqliteDb::Open(path_);
    table_ = *ResourceTable::Open(db_.get(), "leads");
    store_ = std::make_unique<ResourceStore<Lead>>(table_.get(), "lead", LeadPolicy());
  }

  static Lead NewLead(const std::string& name) {
    Lead lead;
    lead.set_display_name(name);
    lead.set_industry(v1::ECO_ENVIRONMENTAL);
    lead.set_channel(v1::STATIONED_TEAM);
    return lead;
  }

  const std::string path_ = jiangan::testing::MakeTempDir() + "/investment.db";
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<ResourceTable> table_;
  std::unique_ptr<ResourceStore<Lead>> store_;
};

TEST_F(ResourceStoreTest, CreateSetsNameTimesEtagAndDefaultStage) {
  auto created = store_->Create(NewLead("黑泥湖村城中村改造"), "lead_id", "heinihu", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "leads/heinihu");
  EXPECT_EQ(created->stage(), v1::LEAD);
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  EXPECT_EQ(created->create_time().seconds(), created->update_time().seconds());
}

TEST_F(ResourceStoreTest, CreateIgnoresOutputOnlyFieldsAndGeneratesIds) {
  Lead lead = NewLead("淌湖村城中村改造");
  lead.set_name("leads/forged");
  lead.set_etag("forged");
  auto created = store_->Create(lead, "lead_id", "", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->name(), "leads/forged");
  EXPECT_NE(created->etag(), "forged");
  EXPECT_TRUE(store_->Get(created->name()).ok());
}

TEST_F(ResourceStoreTest, DataSurvivesReopening) {
  ASSERT_TRUE(store_->Create(NewLead("金潭村城中村改造"), "lead_id", "jintan", "").ok());
  Open();
  auto got = store_->Get("leads/jintan");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "金潭村城中村改造");
}

TEST_F(ResourceStoreTest, RequestIdMakesCreateIdempotent) {
  auto first = store_->Create(NewLead("a"), "lead_id", "", "req-1");
  auto retry = store_->Create(NewLead("a"), "lead_id", "", "req-1");
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(first->name(), retry->name());
  EXPECT_EQ(first->etag(), retry->etag());
  v1::ListLeadsRequest request;
  google::protobuf::RepeatedPtrField<Lead> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 1);
}

TEST_F(ResourceStoreTest, DuplicateIdIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(store_->Create(NewLead("first"), "lead_id", "same", "").ok());
  auto second = store_->Create(NewLead("second"), "lead_id", "same", "");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->Get("leads/same")->display_name(), "first");
}

TEST_F(ResourceStoreTest, InvalidLeadsAreRefusedNamingTheField) {
  Lead no_name = NewLead("");
  auto status = store_->Create(no_name, "lead_id", "", "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "lead.display_name: must be 1 to 200 characters, got 0");

  Lead no_kind = NewLead("x");
  no_kind.set_industry(v1::INDUSTRY_UNSPECIFIED);
  EXPECT_EQ(store_->Create(no_kind, "lead_id", "", "").status().message(),
            "lead.industry: is required");

  Lead bad_phase = NewLead("x");
  bad_phase.set_stage(static_cast<v1::Stage>(42));
  EXPECT_EQ(store_->Create(bad_phase, "lead_id", "", "").status().message(),
            "lead.stage: 42 is not a known value");

  EXPECT_EQ(store_->Create(NewLead("x"), "lead_id", "Bad_Id", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Create(NewLead("x"), "lead_id", "", std::string(101, 'r'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListLeadsRequest request;
  google::protobuf::RepeatedPtrField<Lead> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 0);
}

TEST_F(ResourceStoreTest, ListPagesStayCorrectWhileRowsAreInserted) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Create(NewLead("p"), "lead_id", "p" + std::to_string(i), "").ok());
  }
  v1::ListLeadsRequest request;
  google::protobuf::RepeatedPtrField<Lead> page;
  auto token = store_->List(request, 2, "", &page);
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(page.size(), 2);
  EXPECT_EQ(page[1].name(), "leads/p1");
  // Inserted between pages: seen at the end, nothing skipped or repeated.
  ASSERT_TRUE(store_->Create(NewLead("late"), "lead_id", "late", "").ok());
  std::vector<std::string> rest;
  std::string next = *token;
  while (!next.empty()) {
    google::protobuf::RepeatedPtrField<Lead> more;
    auto following = store_->List(request, 2, next, &more);
    ASSERT_TRUE(following.ok()) << following.status();
    for (const Lead& p : more) rest.push_back(p.name());
    next = *following;
  }
  EXPECT_EQ(rest, (std::vector<std::string>{"leads/p2", "leads/p3", "leads/p4",
                                            "leads/late"}));
}

TEST_F(ResourceStoreTest, UpdateAppliesMaskChecksEtagAndKeepsTheRest) {
  auto created = *store_->Create(NewLead("old"), "lead_id", "u", "");
  Lead patch;
  patch.set_name("leads/u");
  patch.set_display_name("new");
  patch.set_industry(v1::FINANCE_INSURANCE);  // not in the mask: must not change
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  patch.set_etag(created.etag());
  auto updated = store_->Update(patch, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "new");
  EXPECT_EQ(updated->industry(), v1::ECO_ENVIRONMENTAL);
  EXPECT_NE(updated->etag(), created.etag());

  // The old etag is now stale.
  auto stale = store_->Update(patch, mask);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(stale.status().message().find("lead.etag"), std::string::npos);
}

TEST_F(ResourceStoreTest, UpdateRefusesBadMasksAndInvalidResultsWithoutChange) {
  ASSERT_TRUE(store_->Create(NewLead("keep"), "lead_id", "u", "").ok());
  Lead patch;
  patch.set_name("leads/u");
  google::protobuf::FieldMask mask;
  EXPECT_EQ(store_->Update(patch, mask).status().message(),
            "update_mask: is required and must name at least one field");
  mask.add_paths("no_such_field");
  EXPECT_EQ(store_->Update(patch, mask).status().code(), absl::StatusCode::kInvalidArgument);
  mask.set_paths(0, "create_time");
  EXPECT_EQ(store_->Update(patch, mask).status().message(),
            "update_mask: \"create_time\" is output only and cannot be updated");
  mask.set_paths(0, "display_name");  // to empty: invalid
  EXPECT_EQ(store_->Update(patch, mask).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Get("leads/u")->display_name(), "keep");

  patch.set_name("leads/missing");
  patch.set_display_name("x");
  EXPECT_EQ(store_->Update(patch, mask).status().code(), absl::StatusCode::kNotFound);
  patch.set_name("");
  EXPECT_EQ(store_->Update(patch, mask).status().message(),
            "lead.name: is required, as \"leads/{id}\"");
}

TEST_F(ResourceStoreTest, GetErrors) {
  EXPECT_EQ(store_->Get("leads/nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("projects/nope").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan::investment
