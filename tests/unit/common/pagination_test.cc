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
  ListProjectsRequest request;
  const uint64_t query = QueryFingerprint(request);
  std::string token = EncodePageToken(42, query);
  auto after = DecodePageToken(token, query);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, 42);
  EXPECT_EQ(*DecodePageToken("", query), 0);
}

TEST(PaginationTest, FingerprintIgnoresPagingFieldsOnly) {
  ListProjectsRequest a;
  ListProjectsRequest b;
  b.set_page_size(10);
  b.set_page_token("anything");
  EXPECT_EQ(QueryFingerprint(a), QueryFingerprint(b));
}

TEST(PaginationTest, RefusesForgedOrForeignTokens) {
  ListProjectsRequest request;
  const uint64_t query = QueryFingerprint(request);
  std::string token = EncodePageToken(42, query);
  // Bound to its query.
  EXPECT_EQ(DecodePageToken(token, query + 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A hand-made token with another position.
  std::string forged = token;
  forged[3] = forged[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(DecodePageToken(forged, query).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken("not a token!", query).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace jiangan
