// How the gateway treats each method it forwards, read off the method's
// descriptor by AIP naming conventions rather than listed by hand, so that a
// method added to a service proto is served, cached and invalidated correctly
// without gateway code changes:
// - Get* with a string `name` request field: a cached read, keyed by `name`;
// - List*, Search*, Find*, Summarize*, BatchGet*, and any method declared
//   `option idempotency_level = NO_SIDE_EFFECTS`: reads, passed through;
// - anything else: a write; on success the resource names it touched
//   (request `name` and `parent`, `name` of any message field of the
//   request, response `name`) are invalidated before the response is
//   returned.
// Reads, and writes whose request carries a `request_id` (AIP-155: the
// service answers a repeat with the first answer), may be sent again to
// another replica when one fails; other writes never are.
#ifndef JIANGAN_GATEWAY_METHOD_PLAN_H_
#define JIANGAN_GATEWAY_METHOD_PLAN_H_

#include <string>
#include <vector>

#include "common/identity/identity.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jiangan::gateway {

struct MethodPlan {
  enum class Kind { kCachedRead, kRead, kWrite };

  Kind kind = Kind::kWrite;
  std::string path;     // "/jiangan.renewal.v1.RenewalService/GetProject"
  std::string service;  // "jiangan.renewal.v1.RenewalService"
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  // Whether the response carries personal information (a field marked
  // jiangan.type.v1.personal_information), so that what a caller sees
  // depends on who it is: such a read is cached per caller view.
  bool per_caller_view = false;
};

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

// The `name` of a cached read's request, or "" if it has none.
std::string RequestedName(const google::protobuf::Message& request);

// Resource names a successful write may have changed.
std::vector<std::string> WrittenNames(const google::protobuf::Message& request,
                                      const google::protobuf::Message& response);

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_METHOD_PLAN_H_
