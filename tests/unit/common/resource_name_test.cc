#include "common/base/resource_name.h"

#include "gtest/gtest.h"

namespace jiangan {
namespace {

TEST(ResourceNameTest, ParsesWellFormedName) {
  auto id = ParseResourceName("projects/heinihu-village", "projects", "name");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "heinihu-village");
}

TEST(ResourceNameTest, RefusesOtherCollectionNamingTheField) {
  auto id = ParseResourceName("leads/x", "projects", "name");
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find("name: \"leads/x\" must have the form"),
                    std::string::npos)
      << id.status();
}

TEST(ResourceNameTest, RefusesEmptyName) {
  EXPECT_EQ(ParseResourceName("", "projects", "name").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ResourceNameTest, IdRules) {
  EXPECT_TRUE(ValidateResourceId("a", "id").ok());
  EXPECT_TRUE(ValidateResourceId("a-1", "id").ok());
  EXPECT_TRUE(ValidateResourceId(std::string(63, 'a'), "id").ok());
  EXPECT_FALSE(ValidateResourceId(std::string(64, 'a'), "id").ok());
  EXPECT_FALSE(ValidateResourceId("1abc", "id").ok());
  EXPECT_FALSE(ValidateResourceId("abc-", "id").ok());
  EXPECT_FALSE(ValidateResourceId("Abc", "id").ok());
  EXPECT_FALSE(ValidateResourceId("a/b", "id").ok());
  EXPECT_FALSE(ValidateResourceId("黑泥湖", "id").ok());
  EXPECT_FALSE(ValidateResourceId("", "id").ok());
}

TEST(ResourceNameTest, GeneratedIdsAreValidAndDistinct) {
  std::string first = GenerateResourceId();
  EXPECT_TRUE(ValidateResourceId(first, "id").ok()) << first;
  EXPECT_NE(first, GenerateResourceId());
}

}  // namespace
}  // namespace jiangan
