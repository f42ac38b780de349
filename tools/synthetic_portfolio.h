// Synthetic renewal portfolios of any size, shaped like the district's own
// (its sub-districts, zones, kinds and departments, plausible dates and
// quantities), for scale tests and benchmarks. Deterministic for a seed.
#ifndef JIANGAN_TOOLS_SYNTHETIC_PORTFOLIO_H_
#define JIANGAN_TOOLS_SYNTHETIC_PORTFOLIO_H_

#include <cstdint>
#include <ostream>

#include "jiangan/renewal/v1/renewal.pb.h"

namespace jiangan::tools {

// The `index`-th synthetic project of the portfolio of `seed`, with its
// project_id ("synthetic-{index}") and request_id set.
renewal::v1::CreateProjectRequest SyntheticProject(uint64_t seed, int64_t index);

// Writes `count` CreateProject calls as seed lines ({"method","request"}).
void WriteSyntheticProjects(int64_t count, uint64_t seed, std::ostream& out);

}  // namespace jiangan::tools

#endif  // JIANGAN_TOOLS_SYNTHETIC_PORTFOLIO_H_
