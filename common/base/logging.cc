#include "common/base/logging.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace jiangan {
namespace {

absl::Mutex component_mu;
std::string& Component() {
  static auto* component = new std::string("jiangan");
  return *component;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLogComponent(absl::string_view component) {
  absl::MutexLock lock(&component_mu);
  Component() = std::string(component);
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields) {
  std::string component;
  {
    absl::MutexLock lock(&component_mu);
    component = Component();
  }
  std::string line = absl::StrCat(
      "{\"ts\":\"", absl::FormatTime(absl::RFC3339_full, absl::Now(),
                                     absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\",\"component\":\"",
      JsonEscape(component), "\",\"event\":\"", JsonEscape(event), "\"");
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",\"", JsonEscape(key), "\":\"", JsonEscape(value),
                    "\"");
  }
  line += "}\n";
  // A single write keeps concurrent lines whole; a short write to stderr is
  // not worth retrying for a log line.
  [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace jiangan
