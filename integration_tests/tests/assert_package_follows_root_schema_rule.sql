{#- drilldown's models are named by this project's generate_schema_name (pkg_<custom schema>), not by drilldown's
    own rule (which would give marts, staging, ...): one row per model in the wrong schema. -#}
{%- set expected_schemas = {
    'customers': 'pkg_marts',
    'data_reconciliation': 'pkg_quarantine',
    'stg_shop__orders': 'pkg_staging',
    'int_customers_acquired': 'pkg_intermediate',
    'rfm_segments': 'pkg_seeds',
} -%}
{%- for name, schema in expected_schemas.items() %}
select '{{ name }}' as model_name, '{{ ref(name).schema }}' as built_in_schema
where '{{ ref(name).schema }}' <> '{{ schema }}'
{% if not loop.last %}union all{% endif %}
{%- endfor %}
