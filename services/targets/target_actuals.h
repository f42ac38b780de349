// The actual of a COMPUTED district target, composed from its service's
// summary over the target's year (a window on events: work reported for
// the year's months, phases and stages entered in the year, capacity added
// and facilities opened in it). The targets service asks the services, as
// the caller; it reads no one's tables. Rules: target_rule.h.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_ACTUALS_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_ACTUALS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/runtime/service_client.h"
#include "jiangan/facilities/v1/facilities.grpc.pb.h"
#include "jiangan/investment/v1/investment.grpc.pb.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
#include "jiangan/renewal/v1/renewal.grpc.pb.h"
#include "services/targets/target_rule.h"

namespace jiangan::targets {

// A target's actual, and by sub-district where the records carry one.
struct TargetActual {
  std::string total;
  // (sub-district, actual), in sub-district order; empty for investment.
  std::vector<std::pair<std::string, std::string>> by_sub_district;
  // When asked for: (month, actual at its end) for each month of the year
  // through the day read, oldest first; the last is `total`.
  std::vector<std::pair<int, std::string>> month_ends;
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
  // The services' answers one answer of the targets service has had, by
  // question: the targets of a page that ask the same question (they
  // differ only in the kinds they count, or not at all) share one call.
  // Used by one answer at a time.
  struct Questions {
    absl::flat_hash_map<std::string, renewal::v1::SummarizeProjectsResponse> renewal;
    absl::flat_hash_map<std::string, investment::v1::SummarizeLeadsResponse> investment;
    absl::flat_hash_map<std::string, facilities::v1::SummarizeFacilitiesResponse> facilities;
  };

  // Asks the services over these channels (null: not configured, and
  // their targets are not known).
  TargetActuals(std::shared_ptr<grpc::Channel> renewal,
                std::shared_ptr<grpc::Channel> investment,
                std::shared_ptr<grpc::Channel> facilities);

  // The actual of COMPUTED `target` over its year up to and including
  // `through`, as a decimal in its unit, asked of its service through
  // `caller` (or found among the `questions` this answer asked before;
  // null: none kept), with `month_ends` its actual at each month's end (one
  // question still, its figures grouped by month); the service's status
  // when it cannot answer.
  absl::StatusOr<TargetActual> Compute(const portfolio::v1::Target& target,
                                       const ServiceCaller& caller, absl::CivilDay through,
                                       bool month_ends = false,
                                       Questions* questions = nullptr) const;

  // The records behind Compute()'s actual, each with its part, largest
  // first; records whose part is zero are left out.
  absl::StatusOr<std::vector<Contribution>> Contributions(const portfolio::v1::Target& target,
                                                          const ServiceCaller& caller,
                                                          absl::CivilDay through) const;

 private:
  enum class Breakdown { kSubDistrict, kRecord };
  // The rule's figure per group: per sub-district (investment: one group),
  // or per record; raw integers, before the rule's divisor.
  struct Parts {
    TargetRule rule;
    std::vector<std::pair<std::string, int64_t>> groups;
    // With `by_month`: the figure of each month of the target's year.
    absl::btree_map<int, int64_t> months;
  };
  absl::StatusOr<Parts> Measure(const portfolio::v1::Target& target, const ServiceCaller& caller,
                                absl::CivilDay through, Breakdown breakdown, bool by_month,
                                Questions* questions) const;

  const std::unique_ptr<renewal::v1::RenewalService::Stub> renewal_;
  const std::unique_ptr<investment::v1::InvestmentService::Stub> investment_;
  const std::unique_ptr<facilities::v1::FacilitiesService::Stub> facilities_;
};

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_ACTUALS_H_
