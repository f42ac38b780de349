// One line of a seed file, as `jiangan_cli seed` applies it:
//   {"method":"/pkg.Service/Method","request":{...proto3 JSON...}}
#ifndef JIANGAN_TOOLS_SEED_LINE_H_
#define JIANGAN_TOOLS_SEED_LINE_H_

#include <ostream>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace jiangan::tools {

// Writes the seed line calling `method` ("/pkg.Service/Method") with `request`.
void WriteSeedLine(absl::string_view method, const google::protobuf::Message& request,
                   std::ostream& out);

}  // namespace jiangan::tools

#endif  // JIANGAN_TOOLS_SEED_LINE_H_
