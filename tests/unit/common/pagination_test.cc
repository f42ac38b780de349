#include "common/base/pagination.h"

#include "gtest/gtest.h"
#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan {
namespace {

using renewal::v1::ListProjectsRequest;

TEST(PaginationTest, PageSizeDefaultsClampsAndRefusesNegative) {
  EXPECT_EQ(*ResolvePageSize(0), kDefaultPageSize);
  EXPECT_EQ(*ResolvePageSize(7), 7);
  EXPECT_EQ(*ResolvePageSize(kMaxPageSize), kMaxPageSize);
  EXPECT_EQ(*ResolvePageSize(kMaxPageSize + 1), kMaxPageSize);
  auto negative = ResolvePageSize(-1);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(negative.status().message().find("page_size"), std::string::npos);
}

TEST(PaginationTest, TokenRoundTrips) {
  const SignedPageTokens tokens("key");
  ListProjectsRequest request;
  const uint64_t query = QueryFingerprint(request);
  auto cursor = tokens.Decode(tokens.Encode("42:b", query), query);
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  EXPECT_EQ(*cursor, "42:b");
  EXPECT_EQ(*tokens.Decode("", query), "");
}

TEST(PaginationTest, FingerprintIgnoresPagingFieldsOnly) {
  ListProjectsRequest a;
  ListProjectsRequest b;
  b.set_page_size(10);
  b.set_page_token("anything");
  EXPECT_EQ(QueryFingerprint(a), QueryFingerprint(b));
}

TEST(PaginationTest, RefusesForgedOrForeignTokens) {
  const SignedPageTokens tokens("key");
  ListProjectsRequest request;
  const uint64_t query = QueryFingerprint(request);
  const std::string token = tokens.Encode("42", query);
  // Bound to its query.
  EXPECT_EQ(tokens.Decode(token, query + 1).status().code(), absl::StatusCode::kInvalidArgument);
  // Another cursor under the same signature.
  std::string forged = token;
  forged[2] = forged[2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(tokens.Decode(forged, query).status().code(), absl::StatusCode::kInvalidArgument);
  // Signed with another key.
  EXPECT_EQ(SignedPageTokens("other").Decode(token, query).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens.Decode("not a token!", query).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan
