// Files compiled into the gateway (the dashboard's page, script and style),
// written by cmake/embed_files.cmake.
#ifndef JIANGAN_GATEWAY_EMBEDDED_FILE_H_
#define JIANGAN_GATEWAY_EMBEDDED_FILE_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace jiangan::gateway {

struct EmbeddedFile {
  absl::string_view name;  // the file's base name, e.g. "index.html"
  absl::string_view bytes;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace jiangan::gateway

#endif  // JIANGAN_GATEWAY_EMBEDDED_FILE_H_
