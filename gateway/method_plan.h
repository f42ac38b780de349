// How the gateway treats each method it forwards, read off the method's
// descriptor by AIP naming conventions rather than listed by hand, so that a
// method added to a service proto is served, cached and invalidated correctly
// without gateway code changes:
// - a method declaring `jiangan.type.v1.cached_answers`: a cached read, its
//   answers kept per request in the declared group (and per China day when
//   declared daily), never when partial (a non-empty `unreachable`);
// - Get* with a string `name` request field: a cached read, keyed by `name`;
// - List*, Search*, Find*, Summarize*, BatchGet*, and any method declared
//   `option idempotency_level = NO_SIDE_EFFECTS`: reads, passed through;
// - anything else: a write; on success the resource names it touched
//   (request `name` and `parent`, `name` of any message field of the
//   request, response `name`) and the answer groups its service declares
//   (`jiangan.type.v1.invalidates_answers`) are invalidated before the
//   response is returned.
// Reads, and writes whose request carries a `request_id` (AIP-155: the
// service answers a repeat with the first answer), may be sent again to
// another replica when one fails; other writes never are.
#ifndef JIANGAN_GATEWAY_METHOD_PLAN_H_
#define JIANGAN_GATEWAY_METHOD_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/identity/identity.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jiangan::gateway {

struct MethodPlan {
  enum class Kind { kCachedRead, kCachedAnswer, kRead, kWrite };

  Kind kind = Kind::kWrite;
  std::string path;     // "/jiangan.renewal.v1.RenewalService/GetProject"
  std::string service;  // "jiangan.renewal.v1.RenewalService"
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  // Whether the response carries personal information (a field marked
  // jiangan.type.v1.personal_information), so that what a caller sees
  // depends on who it is: such a read is cached per caller view.
  bool per_caller_view = false;
  // kCachedAnswer: the group its answers are kept in, and whether they are
  // kept per China day.
  std::string answer_group;
  bool daily_answers = false;
  // kWrite: the answer groups a success drops, as its service declares.
  std::vector<std::string> invalidated_groups;
};

// Where a cached read's answer is kept: a Redis hash per resource name (or
// answer group), a field per view.
struct CacheSlot {
  std::string name;
  std::string view;
};

// The slot of `request` (a read planned as `plan`; `serialized` its bytes)
// for `caller` on China day `today`; nullopt when it is not cached.
std::optional<CacheSlot> CacheSlotOf(const MethodPlan& plan,
                                     const google::protobuf::Message& request,
                                     const std::string& serialized, const Identity& caller,
                                     absl::CivilDay today);

// Whether `response` says it is partial (AIP-217): a non-empty repeated
// string field `unreachable`. A partial answer is never cached.
bool IsPartial(const google::protobuf::Message& response);

// The cache view of a per-caller read for `caller`: callers who may see the
// same thing share it. Services show personal information by department
// (its staff) or role (ADMIN), so those make the view.
std::string CallerView(const MethodPlan& plan, const Identity& caller);

MethodPlan PlanMethod(const google::protobuf::MethodDescriptor* method);

// PlanMethod(method).kind alone, without the rest of the plan.
MethodPlan::Kind KindOf(const google::protobuf::MethodDescriptor* method);

// Whether `request` of a method planned as `plan` may be sent twice without
// doing twice what it does once: a read, or a write with a request_id set.
bool MayRepeat(const MethodPlan& plan, const google::protobuf::Message& request);

// Resource names a successful write may have changed.
std::vector<std::string> WrittenNames(const google::protobuf::Message& request,
                                      const google::protobuf::Message& response);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_METHOD_PLAN_H_
