#include "common/runtime/api_catalog.h"

#include <string>

#include "absl/strings/strip.h"
#include "jiangan/facilities/v1/facilities.pb.h"
#include "jiangan/investment/v1/investment.pb.h"
#include "jiangan/portfolio/v1/portfolio.pb.h"
#include "jiangan/renewal/v1/renewal.pb.h"
#include "jiangan/supervision/v1/supervision.pb.h"
#include "jiangan/target_values/v1/target_values.pb.h"

namespace jiangan {

const ApiCatalog& Apis() {
  static const ApiCatalog catalog{
      renewal::v1::Project::descriptor()->file()->service(0),
      investment::v1::Lead::descriptor()->file()->service(0),
      facilities::v1::Facility::descriptor()->file()->service(0),
      target_values::v1::TargetValue::descriptor()->file()->service(0),
      portfolio::v1::Target::descriptor()->file()->service(0),
      supervision::v1::Ticket::descriptor()->file()->service(0),
  };
  return catalog;
}

const google::protobuf::MethodDescriptor* FindApiMethod(absl::string_view name) {
  name = absl::StripPrefix(name, "/");
  std::string dotted(name);
  if (size_t slash = dotted.rfind('/'); slash != std::string::npos) dotted[slash] = '.';
  for (const auto* service : Apis().All()) {
    for (int i = 0; i < service->method_count(); ++i) {
      if (service->method(i)->full_name() == dotted) return service->method(i);
    }
  }
  return nullptr;
}

}  // namespace jiangan
