#include "common/report/workbook.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "common/base/file_util.h"

namespace jiangan {

absl::StatusOr<std::string> MakeWorkbook(const std::function<absl::Status(lxw_workbook*)>& fill) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                  "/jiangan-report-XXXXXX");
  const int fd = mkstemp(path.data());
  if (fd < 0) return absl::InternalError("export: cannot make a temporary file");
  close(fd);
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    unlink(path.c_str());
    return absl::InternalError("export: cannot start the workbook");
  }
  const absl::Status filled = fill(workbook);
  const lxw_error closed = workbook_close(workbook);
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  unlink(path.c_str());
  if (!filled.ok()) return filled;
  if (closed != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("export: ", lxw_strerror(closed)));
  }
  return bytes;
}

lxw_format* HeaderFormat(lxw_workbook* workbook) {
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_border(header, LXW_BORDER_THIN);
  return header;
}

}  // namespace jiangan
