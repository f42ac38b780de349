// The system's gRPC APIs, as descriptors. Asking for them here also links
// their generated code, which is what puts them in the descriptor pool that
// reflection and JSON transcoding read.
#ifndef JIANGAN_COMMON_RUNTIME_API_CATALOG_H_
#define JIANGAN_COMMON_RUNTIME_API_CATALOG_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace jiangan {

struct ApiCatalog {
  const google::protobuf::ServiceDescriptor* renewal;
  const google::protobuf::ServiceDescriptor* investment;
  const google::protobuf::ServiceDescriptor* facilities;
  const google::protobuf::ServiceDescriptor* target_values;
  const google::protobuf::ServiceDescriptor* portfolio;
  const google::protobuf::ServiceDescriptor* supervision;

  std::vector<const google::protobuf::ServiceDescriptor*> All() const {
    return {renewal, investment, facilities, target_values, portfolio, supervision};
  }
};

const ApiCatalog& Apis();

// The method named "/pkg.Service/Method", "pkg.Service/Method" or
// "pkg.Service.Method" in any catalogued API; null if none.
const google::protobuf::MethodDescriptor* FindApiMethod(absl::string_view name);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_RUNTIME_API_CATALOG_H_
