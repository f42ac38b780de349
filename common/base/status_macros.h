// Flat error paths for absl::Status and absl::StatusOr (Debian's Abseil ships
// no status macros):
//
//   RETURN_IF_ERROR(CheckRequestId(request.request_id()));
//   ASSIGN_OR_RETURN(std::string id, ParseResourceName(name, "leads", "name"));
//
// Both return the failing status unchanged from the enclosing function, whose
// return type must be constructible from absl::Status.
#ifndef JIANGAN_COMMON_BASE_STATUS_MACROS_H_
#define JIANGAN_COMMON_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define JIANGAN_STATUS_CONCAT_INNER_(a, b) a##b
#define JIANGAN_STATUS_CONCAT_(a, b) JIANGAN_STATUS_CONCAT_INNER_(a, b)

// Names carry the line, so that a RETURN_IF_ERROR inside a lambda inside
// another does not shadow the outer one.
#define RETURN_IF_ERROR(expr) \
  JIANGAN_RETURN_IF_ERROR_IMPL_(JIANGAN_STATUS_CONCAT_(jiangan_status_, __LINE__), expr)

#define JIANGAN_RETURN_IF_ERROR_IMPL_(status, expr)          \
  do {                                                       \
    if (::absl::Status status = (expr); !status.ok()) return status; \
  } while (false)

// `lhs` may declare a variable (`auto x`, `const Foo& y`) or name one.
#define ASSIGN_OR_RETURN(lhs, expr) \
  JIANGAN_ASSIGN_OR_RETURN_IMPL_(JIANGAN_STATUS_CONCAT_(jiangan_statusor_, __LINE__), lhs, expr)

#define JIANGAN_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = *std::move(statusor)

#endif  // JIANGAN_COMMON_BASE_STATUS_MACROS_H_
