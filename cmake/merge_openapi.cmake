# Merges the per-file Swagger 2.0 documents protoc-gen-swagger writes into the
# one OpenAPI document the gateway serves at /openapi.json. Script mode:
#   cmake -DOUTPUT=openapi.json -DINPUTS="a.swagger.json;b.swagger.json" -P merge_openapi.cmake
# Paths and definitions are unions; a definition two files name differently
# (two packages' messages of one short name) fails the build instead of one
# silently replacing the other.
set(merged "")
foreach(input ${INPUTS})
  file(READ "${input}" document)
  if(merged STREQUAL "")
    set(merged "${document}")
    continue()
  endif()
  foreach(section paths definitions)
    string(JSON count ERROR_VARIABLE missing LENGTH "${document}" ${section})
    if(missing)
      continue()
    endif()
    string(JSON have ERROR_VARIABLE none GET "${merged}" ${section})
    if(none)
      string(JSON merged SET "${merged}" ${section} "{}")
    endif()
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON key MEMBER "${document}" ${section} ${i})
      string(JSON value GET "${document}" ${section} "${key}")
      string(JSON existing ERROR_VARIABLE absent GET "${merged}" ${section} "${key}")
      if(NOT absent)
        string(JSON same EQUAL "${existing}" "${value}")
        if(NOT same)
          message(FATAL_ERROR "${input}: ${section} \"${key}\" differs from another file's")
        endif()
        continue()
      endif()
      string(JSON merged SET "${merged}" ${section} "${key}" "${value}")
    endforeach()
  endforeach()
endforeach()
string(JSON merged SET "${merged}" info
  "{\"title\": \"Jiang'an Portfolio\", \"version\": \"v1\",
    \"description\": \"The REST mapping of the gateway's JSON API, from the protos' google.api.http annotations. Paths are HttpRule templates: {name=projects/*} is a whole resource name such as projects/erqi.\"}")
file(WRITE "${OUTPUT}.tmp" "${merged}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
