// Fields marked `jiangan.type.v1.personal_information` (PIPL), found from
// the descriptor so that no service lists them by hand.
#ifndef JIANGAN_COMMON_BASE_PERSONAL_INFORMATION_H_
#define JIANGAN_COMMON_BASE_PERSONAL_INFORMATION_H_

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jiangan {

// What a redacted personal field reads.
inline constexpr char kRedacted[] = "***";

// Replaces every non-empty marked string field of `message`, at any depth,
// with kRedacted.
void RedactPersonalInformation(google::protobuf::Message* message);

// Whether messages of `type` can carry a marked field, at any depth.
bool CarriesPersonalInformation(const google::protobuf::Descriptor* type);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_PERSONAL_INFORMATION_H_
