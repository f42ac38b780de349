// Structured logs: one JSON object per line on stderr, so that a log shipper
// (or `jq`) can read them without parsing free text.
#ifndef JIANGAN_COMMON_BASE_LOGGING_H_
#define JIANGAN_COMMON_BASE_LOGGING_H_

#include <initializer_list>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>

namespace jiangan {

enum class LogLevel { kInfo, kWarning, kError };

// One key/value of a log line. Values are always written as JSON strings.
using LogField = std::pair<absl::string_view, std::string>;

// Sets the `component` every later line carries, e.g. "renewal".
void SetLogComponent(absl::string_view component);

// Writes {"ts":...,"level":...,"component":...,"event":event, fields...}.
// Thread-safe; a line is written with one write(2) so lines never interleave.
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields = {});

// Escapes `text` as the inside of a JSON string.
std::string JsonEscape(absl::string_view text);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_LOGGING_H_
