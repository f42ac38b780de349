// The generic AIP store (Get, List, Create, Update over one SQLite table),
// under the facilities policy, on a real SQLite file.
#include "services/facilities/resource_store.h"

#include "gtest/gtest.h"
#include "services/facilities/facility_policy.h"
#include "tests/support/child_process.h"

namespace jiangan::facilities {
namespace {

using v1::Facility;

class ResourceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    table_.reset();
    db_.reset();
    db_ = *SqliteDb::Open(path_);
    table_ = *ResourceTable::Open(db_.get(), "facilities");
    store_ = std::make_unique<ResourceStore<Facility>>(table_.get(), "facility", FacilityPolicy());
  }

  static Facility NewFacility(const std::string& name) {
    Facility lead;
    lead.set_display_name(name);
    lead.set_kind(v1::KINDERGARTEN);

    return lead;
  }

  const std::string path_ = jiangan::testing::MakeTempDir() + "/facilities.db";
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<ResourceTable> table_;
  std::unique_ptr<ResourceStore<Facility>> store_;
};

TEST_F(ResourceStoreTest, CreateSetsNameTimesEtagAndDefaultStage) {
  auto created = store_->Create(NewFacility("黑泥湖村城中村改造"), "facility_id", "heinihu", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "facilities/heinihu");
  EXPECT_EQ(created->status(), v1::PLANNED);
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  EXPECT_EQ(created->create_time().seconds(), created->update_time().seconds());
}

TEST_F(ResourceStoreTest, CreateIgnoresOutputOnlyFieldsAndGeneratesIds) {
  Facility lead = NewFacility("淌湖村城中村改造");
  lead.set_name("facilities/forged");
  lead.set_etag("forged");
  auto created = store_->Create(lead, "facility_id", "", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->name(), "facilities/forged");
  EXPECT_NE(created->etag(), "forged");
  EXPECT_TRUE(store_->Get(created->name()).ok());
}

TEST_F(ResourceStoreTest, DataSurvivesReopening) {
  ASSERT_TRUE(store_->Create(NewFacility("金潭村城中村改造"), "facility_id", "jintan", "").ok());
  Open();
  auto got = store_->Get("facilities/jintan");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "金潭村城中村改造");
}

TEST_F(ResourceStoreTest, RequestIdMakesCreateIdempotent) {
  auto first = store_->Create(NewFacility("a"), "facility_id", "", "req-1");
  auto retry = store_->Create(NewFacility("a"), "facility_id", "", "req-1");
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(first->name(), retry->name());
  EXPECT_EQ(first->etag(), retry->etag());
  v1::ListFacilitiesRequest request;
  google::protobuf::RepeatedPtrField<Facility> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 1);
}

TEST_F(ResourceStoreTest, DuplicateIdIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(store_->Create(NewFacility("first"), "facility_id", "same", "").ok());
  auto second = store_->Create(NewFacility("second"), "facility_id", "same", "");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->Get("facilities/same")->display_name(), "first");
}

TEST_F(ResourceStoreTest, InvalidFacilitiesAreRefusedNamingTheField) {
  Facility no_name = NewFacility("");
  auto status = store_->Create(no_name, "facility_id", "", "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "facility.display_name: must be 1 to 200 characters, got 0");

  Facility no_kind = NewFacility("x");
  no_kind.set_kind(v1::FACILITY_KIND_UNSPECIFIED);
  EXPECT_EQ(store_->Create(no_kind, "facility_id", "", "").status().message(),
            "facility.kind: is required");

  Facility bad_phase = NewFacility("x");
  bad_phase.set_status(static_cast<v1::FacilityStatus>(42));
  EXPECT_EQ(store_->Create(bad_phase, "facility_id", "", "").status().message(),
            "facility.status: 42 is not a known value");

  EXPECT_EQ(store_->Create(NewFacility("x"), "facility_id", "Bad_Id", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Create(NewFacility("x"), "facility_id", "", std::string(101, 'r'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListFacilitiesRequest request;
  google::protobuf::RepeatedPtrField<Facility> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 0);
}

TEST_F(ResourceStoreTest, ListPagesStayCorrectWhileRowsAreInserted) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Create(NewFacility("p"), "facility_id", "p" + std::to_string(i), "").ok());
  }
  v1::ListFacilitiesRequest request;
  google::protobuf::RepeatedPtrField<Facility> page;
  auto token = store_->List(request, 2, "", &page);
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(page.size(), 2);
  EXPECT_EQ(page[1].name(), "facilities/p1");
  // Inserted between pages: seen at the end, nothing skipped or repeated.
  ASSERT_TRUE(store_->Create(NewFacility("late"), "facility_id", "late", "").ok());
  std::vector<std::string> rest;
  std::string next = *token;
  while (!next.empty()) {
    google::protobuf::RepeatedPtrField<Facility> more;
    auto following = store_->List(request, 2, next, &more);
    ASSERT_TRUE(following.ok()) << following.status();
    for (const Facility& p : more) rest.push_back(p.name());
    next = *following;
  }
  EXPECT_EQ(rest, (std::vector<std::string>{"facilities/p2", "facilities/p3", "facilities/p4",
                                            "facilities/late"}));
}

TEST_F(ResourceStoreTest, UpdateAppliesMaskChecksEtagAndKeepsTheRest) {
  auto created = *store_->Create(NewFacility("old"), "facility_id", "u", "");
  Facility patch;
  patch.set_name("facilities/u");
  patch.set_display_name("new");
  patch.set_kind(v1::HOSPITAL);  // not in the mask: must not change
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  patch.set_etag(created.etag());
  auto updated = store_->Update(patch, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "new");
  EXPECT_EQ(updated->kind(), v1::KINDERGARTEN);
  EXPECT_NE(updated->etag(), created.etag());

  // The old etag is now stale.
  auto stale = store_->Update(patch, mask);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(stale.status().message().find("facility.etag"), std::string::npos);
}

TEST_F(ResourceStoreTest, UpdateRefusesBadMasksAndInvalidResultsWithoutChange) {
  ASSERT_TRUE(store_->Create(NewFacility("keep"), "facility_id", "u", "").ok());
  Facility patch;
  patch.set_name("facilities/u");
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
  EXPECT_EQ(store_->Get("facilities/u")->display_name(), "keep");

  patch.set_name("facilities/missing");
  patch.set_display_name("x");
  EXPECT_EQ(store_->Update(patch, mask).status().code(), absl::StatusCode::kNotFound);
  patch.set_name("");
  EXPECT_EQ(store_->Update(patch, mask).status().message(),
            "facility.name: is required, as \"facilities/{id}\"");
}

TEST_F(ResourceStoreTest, GetErrors) {
  EXPECT_EQ(store_->Get("facilities/nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("projects/nope").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan::facilities
