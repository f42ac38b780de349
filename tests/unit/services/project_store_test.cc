// The renewal service's storage: the generic AIP store under the project
// policy, on a real SQLite file.
#include "common/resource_store.h"

#include "gtest/gtest.h"
#include "services/renewal/project_policy.h"
#include "tests/support/child_process.h"

namespace jiangan::renewal {
namespace {

using v1::Project;

class ProjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    store_.reset();
    table_.reset();
    db_.reset();
    db_ = *SqliteDb::Open(path_);
    table_ = *ResourceTable::Open(db_.get(), "projects");
    store_ = std::make_unique<ResourceStore<Project>>(table_.get(), "project", ProjectPolicy());
  }

  static Project Village(const std::string& name) {
    Project project;
    project.set_display_name(name);
    project.set_kind(v1::URBAN_VILLAGE_REDEVELOPMENT);
    return project;
  }

  const std::string path_ = jiangan::testing::MakeTempDir() + "/renewal.db";
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<ResourceTable> table_;
  std::unique_ptr<ResourceStore<Project>> store_;
};

TEST_F(ProjectStoreTest, CreateSetsNameTimesEtagAndDefaultPhase) {
  auto created = store_->Create(Village("黑泥湖村城中村改造"), "project_id", "heinihu", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "projects/heinihu");
  EXPECT_EQ(created->phase(), v1::PLANNING);
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());
  EXPECT_EQ(created->create_time().seconds(), created->update_time().seconds());
}

TEST_F(ProjectStoreTest, CreateIgnoresOutputOnlyFieldsAndGeneratesIds) {
  Project project = Village("淌湖村城中村改造");
  project.set_name("projects/forged");
  project.set_etag("forged");
  auto created = store_->Create(project, "project_id", "", "");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_NE(created->name(), "projects/forged");
  EXPECT_NE(created->etag(), "forged");
  EXPECT_TRUE(store_->Get(created->name()).ok());
}

TEST_F(ProjectStoreTest, DataSurvivesReopening) {
  ASSERT_TRUE(store_->Create(Village("金潭村城中村改造"), "project_id", "jintan", "").ok());
  Open();
  auto got = store_->Get("projects/jintan");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->display_name(), "金潭村城中村改造");
}

TEST_F(ProjectStoreTest, RequestIdMakesCreateIdempotent) {
  auto first = store_->Create(Village("a"), "project_id", "", "req-1");
  auto retry = store_->Create(Village("a"), "project_id", "", "req-1");
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(first->name(), retry->name());
  EXPECT_EQ(first->etag(), retry->etag());
  v1::ListProjectsRequest request;
  google::protobuf::RepeatedPtrField<Project> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 1);
}

TEST_F(ProjectStoreTest, DuplicateIdIsAlreadyExistsAndChangesNothing) {
  ASSERT_TRUE(store_->Create(Village("first"), "project_id", "same", "").ok());
  auto second = store_->Create(Village("second"), "project_id", "same", "");
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->Get("projects/same")->display_name(), "first");
}

TEST_F(ProjectStoreTest, InvalidProjectsAreRefusedNamingTheField) {
  Project no_name = Village("");
  auto status = store_->Create(no_name, "project_id", "", "").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "project.display_name: must be 1 to 200 characters, got 0");

  Project no_kind = Village("x");
  no_kind.set_kind(v1::PROJECT_KIND_UNSPECIFIED);
  EXPECT_EQ(store_->Create(no_kind, "project_id", "", "").status().message(),
            "project.kind: is required");

  Project bad_phase = Village("x");
  bad_phase.set_phase(static_cast<v1::ProjectPhase>(42));
  EXPECT_EQ(store_->Create(bad_phase, "project_id", "", "").status().message(),
            "project.phase: 42 is not a known value");

  EXPECT_EQ(store_->Create(Village("x"), "project_id", "Bad_Id", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Create(Village("x"), "project_id", "", std::string(101, 'r'))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  v1::ListProjectsRequest request;
  google::protobuf::RepeatedPtrField<Project> page;
  ASSERT_TRUE(store_->List(request, 0, "", &page).ok());
  EXPECT_EQ(page.size(), 0);
}

TEST_F(ProjectStoreTest, ListPagesStayCorrectWhileRowsAreInserted) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store_->Create(Village("p"), "project_id", "p" + std::to_string(i), "").ok());
  }
  v1::ListProjectsRequest request;
  google::protobuf::RepeatedPtrField<Project> page;
  auto token = store_->List(request, 2, "", &page);
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(page.size(), 2);
  EXPECT_EQ(page[1].name(), "projects/p1");
  // Inserted between pages: seen at the end, nothing skipped or repeated.
  ASSERT_TRUE(store_->Create(Village("late"), "project_id", "late", "").ok());
  std::vector<std::string> rest;
  std::string next = *token;
  while (!next.empty()) {
    google::protobuf::RepeatedPtrField<Project> more;
    auto following = store_->List(request, 2, next, &more);
    ASSERT_TRUE(following.ok()) << following.status();
    for (const Project& p : more) rest.push_back(p.name());
    next = *following;
  }
  EXPECT_EQ(rest, (std::vector<std::string>{"projects/p2", "projects/p3", "projects/p4",
                                            "projects/late"}));
}

TEST_F(ProjectStoreTest, UpdateAppliesMaskChecksEtagAndKeepsTheRest) {
  auto created = *store_->Create(Village("old"), "project_id", "u", "");
  Project patch;
  patch.set_name("projects/u");
  patch.set_display_name("new");
  patch.set_kind(v1::OTHER);  // not in the mask: must not change
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  patch.set_etag(created.etag());
  auto updated = store_->Update(patch, mask);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "new");
  EXPECT_EQ(updated->kind(), v1::URBAN_VILLAGE_REDEVELOPMENT);
  EXPECT_NE(updated->etag(), created.etag());

  // The old etag is now stale.
  auto stale = store_->Update(patch, mask);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_NE(stale.status().message().find("project.etag"), std::string::npos);
}

TEST_F(ProjectStoreTest, UpdateRefusesBadMasksAndInvalidResultsWithoutChange) {
  ASSERT_TRUE(store_->Create(Village("keep"), "project_id", "u", "").ok());
  Project patch;
  patch.set_name("projects/u");
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
  EXPECT_EQ(store_->Get("projects/u")->display_name(), "keep");

  patch.set_name("projects/missing");
  patch.set_display_name("x");
  EXPECT_EQ(store_->Update(patch, mask).status().code(), absl::StatusCode::kNotFound);
  patch.set_name("");
  EXPECT_EQ(store_->Update(patch, mask).status().message(),
            "project.name: is required, as \"projects/{id}\"");
}

TEST_F(ProjectStoreTest, GetErrors) {
  EXPECT_EQ(store_->Get("projects/nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->Get("leads/nope").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan::renewal
