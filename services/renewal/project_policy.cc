#include "services/renewal/project_policy.h"

#include "common/validation.h"

namespace jiangan::renewal {

ResourcePolicy<v1::Project> ProjectPolicy() {
  ResourcePolicy<v1::Project> policy;
  policy.apply_create_defaults = [](v1::Project* project) {
    if (project->phase() == v1::PROJECT_PHASE_UNSPECIFIED) {
      project->set_phase(v1::PLANNING);
    }
  };
  policy.validate = [](const v1::Project& project) {
    return FirstError({
        CheckLength("project.display_name", project.display_name(), 1, 200),
        CheckEnum("project.kind", project.kind(), v1::ProjectKind_IsValid, true),
        CheckEnum("project.phase", project.phase(), v1::ProjectPhase_IsValid, true),
        CheckLength("project.sub_district", project.sub_district(), 0, 50),
        CheckLength("project.lead_department", project.lead_department(), 0, 100),
        CheckLength("project.description", project.description(), 0, 4000),
    });
  };
  return policy;
}

}  // namespace jiangan::renewal
