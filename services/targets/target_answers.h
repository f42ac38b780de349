// The answers of jiangan.portfolio.v1: the district's targets from the
// catalog, each shown with its actual, computed from its service's records
// as the caller reads them (target_actuals.h) or reported by hand
// (target_store.h), and how far it is (target_progress.h). An answer that a
// service could not help with in full names that service in `unreachable`
// and logs the failure; it is never an error, so one service down leaves
// the other targets readable.
#ifndef JIANGAN_SERVICES_TARGETS_TARGET_ANSWERS_H_
#define JIANGAN_SERVICES_TARGETS_TARGET_ANSWERS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "common/base/pagination.h"
#include "common/runtime/service_client.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
#include "jiangan/type/v1/file.pb.h"
#include "services/targets/target_actuals.h"
#include "services/targets/target_progress.h"
#include "services/targets/value_rules.h"
#include "services/targets/target_store.h"

namespace jiangan::targets {

struct AnswerOptions {
  // Signs page tokens.
  std::string page_token_key;
  ProgressThresholds thresholds;
};

class TargetAnswers {
 public:
  // `actuals` and `values` (which holds the catalog) must outlive this
  // object.
  TargetAnswers(const TargetActuals* actuals, const TargetStore* values, AnswerOptions options);

  // Each asks the services through `caller`.
  absl::Status Get(const ServiceCaller& caller, const portfolio::v1::GetTargetRequest& request,
                   portfolio::v1::Target* response) const;
  absl::Status List(const ServiceCaller& caller, const portfolio::v1::ListTargetsRequest& request,
                    portfolio::v1::ListTargetsResponse* response) const;
  absl::Status ListContributions(const ServiceCaller& caller,
                                 const portfolio::v1::ListTargetContributionsRequest& request,
                                 portfolio::v1::ListTargetContributionsResponse* response) const;
  absl::Status Export(const ServiceCaller& caller,
                      const portfolio::v1::ExportTargetsRequest& request,
                      type::v1::File* response) const;

 // What one answer asks of the services: through whom, for which day, and
  // where the services that could not answer are gathered.
  struct Reading {
    const ServiceCaller& caller;
    absl::CivilDay today;
    absl::btree_set<std::string>* unreachable;
    // What the services answered so far, shared by the answer's targets.
    TargetActuals::Questions* questions;
  };

 private:

  // The values recorded for a target (none for one that takes none), read
  // for all targets at once on the first call and kept in the cache.
  using ValueCache =
      std::optional<absl::flat_hash_map<std::string, std::vector<TargetValue>>>;
  using ValuesOf = std::function<absl::StatusOr<const std::vector<TargetValue>*>(
      const portfolio::v1::Target&)>;
  ValuesOf ValuesFrom(ValueCache* cache) const;

  // The catalog as read for one answer: the targets of one year, and every
  // target by name (for the ones last year's continue).
  struct YearOfCatalog {
    std::vector<portfolio::v1::Target> catalog;  // every year
    int32_t year = 0;                             // the year listed
    std::vector<int32_t> years;                   // every year held, oldest first
    // Positions in `catalog`: of the targets of `year`, in order, and of
    // every target by name.
    std::vector<size_t> targets;
    absl::flat_hash_map<std::string, size_t> by_name;
  };
  // The catalog with the targets of `year` (0: the latest year it holds).
  absl::StatusOr<YearOfCatalog> ReadYear(int32_t year) const;

  // Presents the targets of `year` from position `*position` on that
  // `filter` selects, until `out` holds `size`; `*position` ends past the
  // last one looked at.
  absl::Status Collect(const Reading& reading, const portfolio::v1::TargetFilter& filter,
                       const YearOfCatalog& year, int size, int64_t* position,
                       google::protobuf::RepeatedPtrField<portfolio::v1::Target>* out) const;
  // Fills `target`'s previous_result from `previous` (null: none), the
  // target of last year it continues: how it ended its year. A service that
  // could not answer for it is marked unreachable on `target`.
  absl::Status PresentPrevious(const Reading& reading, const ValuesOf& values_of,
                               const portfolio::v1::Target* previous,
                               portfolio::v1::Target* target) const;
  // Fills `target`'s actual, progress and (with `trend`) its month-end
  // actuals: PresentComputed or PresentReported, with the target's
  // recorded `values` (a COMPUTED target's adjustments).
  void Present(const Reading& reading, absl::Span<const TargetValue> values, bool trend,
               portfolio::v1::Target* target) const;
  // Fills COMPUTED `target`'s actual, progress and (with `trend`) its
  // month-end actuals, asked of its service, with the standing one of its
  // `adjustments` (oldest record first) added.
  void PresentComputed(const Reading& reading, absl::Span<const TargetValue> adjustments,
                       bool trend, portfolio::v1::Target* target) const;
  // Fills REPORTED `target`'s standing value, progress and (with `trend`)
  // month-end values from its `values`, oldest record first.
  void PresentReported(const Reading& reading, absl::Span<const TargetValue> values, bool trend,
                       portfolio::v1::Target* target) const;
  // Sets progress and health of `target` for `actual` as of `as_of`.
  void Assess(const std::string& actual, absl::CivilDay as_of,
              portfolio::v1::Target* target) const;

  const TargetActuals* const actuals_;
  const TargetStore* const values_;
  const AnswerOptions options_;
  const SignedPageTokens page_tokens_;
};

}  // namespace jiangan::targets

#endif  // JIANGAN_SERVICES_TARGETS_TARGET_ANSWERS_H_
