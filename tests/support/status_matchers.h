// gMock matchers for absl::Status and absl::StatusOr<T>:
//
//   EXPECT_THAT(store.Get(request), StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(Create(lead), StatusIs(absl::StatusCode::kInvalidArgument,
//                                      HasSubstr("lead.company.uscc")));
//   ASSERT_THAT(Create(lead), IsOk());
//   EXPECT_THAT(CommandOutput(command), IsOkAndHolds(HasSubstr("2 200")));
//   ASSERT_OK_AND_ASSIGN(v1::Ticket ticket, store.Get(request));
#ifndef JIANGAN_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define JIANGAN_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"

namespace jiangan::testing {
namespace internal {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

}  // namespace internal

MATCHER_P2(StatusIs, code, message_matcher,
           absl::StrCat("has code ", absl::StatusCodeToString(code))) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code &&
         ::testing::Matches(::testing::Matcher<const std::string&>(message_matcher))(
             std::string(status.message()));
}

// Matches any message.
template <typename Code>
auto StatusIs(Code code) {
  return StatusIs(code, ::testing::_);
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.ok();
}

// A StatusOr that is OK and whose value matches `value_matcher`.
MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "whose status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace jiangan::testing

// Declares `lhs` from the value of the StatusOr `expr`, or fails the test
// (returning from it) with the status.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  JIANGAN_ASSERT_OK_AND_ASSIGN_(JIANGAN_STATUS_OR_NAME_(__LINE__), lhs, expr)
#define JIANGAN_STATUS_OR_NAME_(line) JIANGAN_STATUS_OR_CONCAT_(status_or_, line)
#define JIANGAN_STATUS_OR_CONCAT_(a, b) a##b
#define JIANGAN_ASSERT_OK_AND_ASSIGN_(status_or, lhs, expr) \
  auto status_or = (expr);                                  \
  ASSERT_TRUE(status_or.ok()) << status_or.status();        \
  lhs = *std::move(status_or)

#endif  // JIANGAN_TESTS_SUPPORT_STATUS_MATCHERS_H_
