// AIP standard methods (Get, List, Create, Update) over one ResourceTable.
//
// `Resource` is a generated message with the AIP common fields: string `name`
// and `etag`, google.protobuf.Timestamp `create_time` and `update_time`.
// Names are `{collection}/{id}`. The store sets those four fields; whatever a
// caller sends in them is ignored on create and refused in an update mask.
#ifndef JIANGAN_SERVICES_FACILITIES_RESOURCE_STORE_H_
#define JIANGAN_SERVICES_FACILITIES_RESOURCE_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/base/fingerprint.h"
#include "common/base/pagination.h"
#include "common/base/resource_name.h"
#include "services/facilities/resource_table.h"
#include "common/base/validation.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "common/base/field_masks.h"
#include "google/protobuf/util/time_util.h"

namespace jiangan {

// What a service decides about its own resource type.
template <typename Resource>
struct ResourcePolicy {
  // Fills defaults on a resource about to be created (e.g. the first phase).
  std::function<void(Resource*)> apply_create_defaults = [](Resource*) {};
  // Checks a resource about to be stored, after create defaults or after an
  // update is merged. INVALID_ARGUMENT names the field and the rule.
  std::function<absl::Status(const Resource&)> validate =
      [](const Resource&) { return absl::OkStatus(); };
};

template <typename Resource>
class ResourceStore {
 public:
  // `table` must outlive the store.
  ResourceStore(ResourceTable* table, std::string resource_field,
                ResourcePolicy<Resource> policy)
      : table_(table),
        resource_field_(std::move(resource_field)),
        policy_(std::move(policy)) {}

  const std::string& collection() const { return table_->collection(); }

  absl::StatusOr<Resource> Get(absl::string_view name) const {
    auto id = ParseResourceName(name, collection(), "name");
    if (!id.ok()) return id.status();
    auto row = table_->Get(*id);
    if (!row.ok()) return row.status();
    return Decode(*row);
  }

  // Fills `out` with a page and returns the next page token. `request` is the
  // List request, so that tokens stay bound to it.
  absl::StatusOr<std::string> List(
      const google::protobuf::Message& request, int32_t page_size,
      absl::string_view page_token,
      google::protobuf::RepeatedPtrField<Resource>* out) const {
    auto size = ResolvePageSize(page_size);
    if (!size.ok()) return size.status();
    const uint64_t query = QueryFingerprint(request);
    auto after = DecodePageToken(page_token, query);
    if (!after.ok()) return after.status();
    // One extra row tells whether another page follows.
    auto rows = table_->ListAfter(*after, *size + 1);
    if (!rows.ok()) return rows.status();
    const bool more = static_cast<int>(rows->size()) > *size;
    if (more) rows->pop_back();
    for (const ResourceRow& row : *rows) {
      auto resource = Decode(row);
      if (!resource.ok()) return resource.status();
      *out->Add() = *std::move(resource);
    }
    return more ? EncodePageToken(rows->back().seq, query) : std::string();
  }

  absl::StatusOr<Resource> Create(Resource resource, absl::string_view id_field,
                                  absl::string_view requested_id,
                                  absl::string_view request_id) const {
    if (absl::Status valid = CheckRequestId(request_id); !valid.ok()) return valid;
    std::string id(requested_id);
    if (id.empty()) {
      id = GenerateResourceId();
    } else if (absl::Status valid = ValidateResourceId(id, id_field); !valid.ok()) {
      return valid;
    }
    resource.clear_name();
    resource.clear_etag();
    resource.clear_create_time();
    resource.clear_update_time();
    policy_.apply_create_defaults(&resource);
    if (absl::Status valid = policy_.validate(resource); !valid.ok()) return valid;

    auto row = table_->Insert(id, request_id, [&](int64_t seq, int64_t version)
                                                  -> absl::StatusOr<std::string> {
      const auto now = google::protobuf::util::TimeUtil::GetCurrentTime();
      resource.set_name(absl::StrCat(collection(), "/", id));
      *resource.mutable_create_time() = now;
      *resource.mutable_update_time() = now;
      resource.set_etag(VersionEtag(seq, version));
      return resource.SerializeAsString();
    });
    if (!row.ok()) return row.status();
    return Decode(*row);
  }

  absl::StatusOr<Resource> Update(const Resource& patch,
                                  const google::protobuf::FieldMask& mask) const {
    const std::string name_field = absl::StrCat(resource_field_, ".name");
    auto id = ParseResourceName(patch.name(), collection(), name_field);
    if (!id.ok()) return id.status();
    static const auto* output_only =
        new OutputOnlyFields{"name", "etag", "create_time", "update_time"};
    if (absl::Status valid = CheckUpdateMask(mask, Resource::descriptor(), *output_only);
        !valid.ok()) {
      return valid;
    }

    auto row = table_->Update(*id, [&](const ResourceRow& current, int64_t version)
                                       -> absl::StatusOr<std::string> {
      auto stored = Decode(current);
      if (!stored.ok()) return stored.status();
      if (!patch.etag().empty() && patch.etag() != stored->etag()) {
        return absl::AbortedError(absl::StrCat(
            resource_field_, ".etag: \"", patch.etag(), "\" is not the current etag \"",
            stored->etag(), "\"; read the resource again and retry"));
      }
      MergeMasked(patch, mask, &*stored);
      if (absl::Status valid = policy_.validate(*stored); !valid.ok()) return valid;
      *stored->mutable_update_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
      stored->set_etag(VersionEtag(current.seq, version));
      return stored->SerializeAsString();
    });
    if (!row.ok()) return row.status();
    return Decode(*row);
  }

 private:
  static absl::StatusOr<Resource> Decode(const ResourceRow& row) {
    Resource resource;
    if (!resource.ParseFromString(row.payload)) {
      return absl::DataLossError(absl::StrCat("stored row ", row.id, " does not parse"));
    }
    return resource;
  }

  ResourceTable* const table_;
  const std::string resource_field_;
  const ResourcePolicy<Resource> policy_;
};

}  // namespace jiangan

#endif  // JIANGAN_SERVICES_FACILITIES_RESOURCE_STORE_H_
