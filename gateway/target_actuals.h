// The actual of a COMPUTED district target, composed from its service's
// summary over the target's year (a window on events: work reported for
// the year's months, phases and stages entered in the year, capacity added
// and facilities opened in it). The gateway asks the services, as the
// caller; it reads no one's tables. Rules: common/targets/target_rule.h.
#ifndef JIANGAN_GATEWAY_TARGET_ACTUALS_H_
#define JIANGAN_GATEWAY_TARGET_ACTUALS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/identity/identity.h"
#include "common/targets/target_rule.h"
#include "gateway/backends.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"

namespace jiangan::gateway {

// A target's actual, and by sub-district where the records carry one.
struct TargetActual {
  std::string total;
  // (sub-district, actual), in sub-district order; empty for investment.
  std::vector<std::pair<std::string, std::string>> by_sub_district;
};

// A record's part in a target's actual: `record` is its resource name
// (`projects/{id}`, `leads/{id}`, `facilities/{id}`), `value` a decimal in
// the target's unit.
struct Contribution {
  std::string record;
  std::string value;
};

class TargetActuals {
 public:
  // `backends` and `signer` must outlive this object.
  TargetActuals(Backends* backends, const IdentitySigner* signer)
      : backends_(backends), signer_(signer) {}

  // The actual of COMPUTED `target` over its year up to and including
  // `through`, as a decimal in its unit, asked of its service as `caller`
  // within `deadline`; the service's status when it cannot answer.
  absl::StatusOr<TargetActual> Compute(const portfolio::v1::Target& target,
                                       const Identity& caller, absl::Time deadline,
                                       absl::CivilDay through) const;

  // The records behind Compute()'s actual, each with its part, largest
  // first; records whose part is zero are left out.
  absl::StatusOr<std::vector<Contribution>> Contributions(const portfolio::v1::Target& target,
                                                          const Identity& caller,
                                                          absl::Time deadline,
                                                          absl::CivilDay through) const;

 private:
  enum class Breakdown { kSubDistrict, kRecord };
  // The rule's figure per group: per sub-district (investment: one group),
  // or per record; raw integers, before the rule's divisor.
  struct Parts {
    TargetRule rule;
    std::vector<std::pair<std::string, int64_t>> groups;
  };
  absl::StatusOr<Parts> Measure(const portfolio::v1::Target& target, const Identity& caller,
                                absl::Time deadline, absl::CivilDay through,
                                Breakdown breakdown) const;

  Backends* const backends_;
  const IdentitySigner* const signer_;
};

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_TARGET_ACTUALS_H_
