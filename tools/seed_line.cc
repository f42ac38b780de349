#include "tools/seed_line.h"

#include <string>

#include "google/protobuf/util/json_util.h"

namespace jiangan::tools {

void WriteSeedLine(absl::string_view method, const google::protobuf::Message& request,
                   std::ostream& out) {
  std::string json;
  // Generated messages always print.
  (void)google::protobuf::util::MessageToJsonString(request, &json);
  out << R"({"method":")" << method << R"(","request":)" << json << "}\n";
}

}  // namespace jiangan::tools
