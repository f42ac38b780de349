// How the investment office tells companies apart: names normalized for
// comparison, how close two names are, and the unified social credit code
// (统一社会信用代码) with its GB 32100-2015 check character. Pure functions.
#ifndef JIANGAN_SERVICES_INVESTMENT_COMPANY_NAME_H_
#define JIANGAN_SERVICES_INVESTMENT_COMPANY_NAME_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace jiangan::investment {

// `name` for comparison: full-width forms (U+FF01..U+FF5E, U+3000) to
// half-width, Latin letters lower-cased, white space and brackets removed,
// and the legal suffixes 股份有限公司, 有限责任公司, 有限公司 and 股份 removed
// from the end (repeatedly). "苏美达（华中）有限公司" -> "苏美达华中".
std::string NormalizeCompanyName(absl::string_view name);

// The distinct character bigrams of a normalized name, sorted; a name of
// one character is its own only "bigram".
std::vector<std::string> NameBigrams(absl::string_view normalized);

// How alike two normalized names are, 0 to 100: the Dice coefficient of
// their bigram sets, rounded down (100 exactly when the names are equal).
int SimilarityPercent(absl::string_view a, absl::string_view b);

// SimilarityPercent against one name, many times: its bigrams are taken
// once, as integers, so comparing with each candidate allocates little.
class NameMatcher {
 public:
  explicit NameMatcher(std::string normalized);
  int SimilarityTo(absl::string_view other) const;

 private:
  const std::string name_;
  const std::vector<uint64_t> bigrams_;  // sorted, distinct
};

// OK for an 18-character code of the GB 32100-2015 alphabet (digits and
// upper-case letters other than I, O, Z, S, V) whose last character is the
// check character of the first 17; INVALID_ARGUMENT naming `field` and the
// rule otherwise.
absl::Status CheckUscc(absl::string_view field, absl::string_view uscc);

// The check character of the first 17 characters of `uscc`, which must be
// of the alphabet ('\0' otherwise). For tests and synthetic data.
char UsccCheckCharacter(absl::string_view first17);

}  // namespace jiangan::investment

#endif  // JIANGAN_SERVICES_INVESTMENT_COMPANY_NAME_H_
