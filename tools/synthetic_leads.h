// Synthetic investment pipelines of any size, shaped like the district's own
// (the 531 industries, channels, departments, stages with their facts,
// valid USCCs, funds arriving through the year), for scale tests and
// benchmarks. Deterministic for a seed.
#ifndef JIANGAN_TOOLS_SYNTHETIC_LEADS_H_
#define JIANGAN_TOOLS_SYNTHETIC_LEADS_H_

#include <cstdint>
#include <ostream>

#include "jiangan/investment/v1/investment.pb.h"

namespace jiangan::tools {

// The `index`-th synthetic lead of the pipeline of `seed`, with its lead_id
// ("synthetic-{index}") and request_id set. Leads from REGISTERED on carry
// a valid USCC. Company names differ in at least one of four syllables, so
// no two are closer than 71% (bigram Dice) and none is refused as a
// near-duplicate at the default threshold of 80%.
investment::v1::CreateLeadRequest SyntheticLead(uint64_t seed, int64_t index);

// The `entry`-th funds entry of lead `index`, for a lead SyntheticLead made
// REGISTERED or later: a positive amount on a day of 2024.
investment::v1::RecordFundsRequest SyntheticFunds(uint64_t seed, int64_t index, int64_t entry);

// Writes `count` CreateLead calls as seed lines ({"method","request"}).
void WriteSyntheticLeads(int64_t count, uint64_t seed, std::ostream& out);

// Writes `per_lead` RecordFunds calls for every lead of the first `count`
// that SyntheticLead made REGISTERED, as seed lines; apply them after the
// leads.
void WriteSyntheticFunds(int64_t count, int per_lead, uint64_t seed, std::ostream& out);

}  // namespace jiangan::tools

#endif  // JIANGAN_TOOLS_SYNTHETIC_LEADS_H_
