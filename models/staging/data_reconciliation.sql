{{ config(schema='quarantine') }}

{#- Rows read from each input = rows staged + rows quarantined. Rows read are counted on the raw
    tables themselves, independently of the base models, so a row lost anywhere shows up here. An input that is
    not read (optional, absent or switched off by var drilldown_using_<entity>) reads 0 rows (0 = 0 + 0).
    source_table / source_status / source_columns say where each input was read from (the user's table and
    columns when drilldown is installed as a package, docs/decisions.md#package-inputs).
    rows_unmatched: the staged rows not linked to a known customer, for the inputs where that is allowed
    (social mentions without a matched customer: kept and counted, never dropped); null for the others. -#}
{%- set entities = [
    ('orders', drilldown.input_source('raw_orders'), ref('stg_shop__orders'), ref('quarantine_orders')),
    ('customers', drilldown.input_source('raw_customers'), ref('stg_shop__customers'), ref('quarantine_customers')),
    ('campaigns', drilldown.input_source('raw_campaigns'), ref('stg_shop__campaigns'), ref('quarantine_campaigns')),
    ('campaign_contacts', drilldown.input_source('raw_campaign_contacts'), ref('stg_shop__campaign_contacts'), ref('quarantine_campaign_contacts')),
    ('campaign_plans', drilldown.input_source('raw_campaign_plans'), ref('stg_shop__campaign_plans'), ref('quarantine_campaign_plans')),
    ('order_lines', drilldown.input_source('raw_order_lines'), ref('stg_shop__order_lines'), ref('quarantine_order_lines')),
    ('social_mentions', drilldown.input_source('raw_social_mentions'), ref('stg_shop__social_mentions'), ref('quarantine_social_mentions')),
] -%}
{%- set unmatched_conditions = {'social_mentions': 'not is_matched_customer'} -%}

with

counts as (

    {% for entity, input, staged_relation, quarantined_relation in entities -%}
    select
        '{{ entity }}' as entity,
        {% if input['status'] == 'read' -%}
        (select count(*) from {{ input['relation'] }})
        {%- else -%}
        cast(0 as bigint)
        {%- endif %} as rows_read,
        (select count(*) from {{ staged_relation }}) as rows_staged,
        (select count(*) from {{ quarantined_relation }}) as rows_quarantined,
        {% if entity in unmatched_conditions -%}
        (
            select count(*) from {{ staged_relation }}
            where {{ unmatched_conditions[entity] }}
        )
        {%- else -%}
        cast(null as bigint)
        {%- endif %} as rows_unmatched,
        '{{ drilldown.input_source_table(input) }}' as source_table,
        '{{ input['status'] }}' as source_status,
        {{ "'" ~ drilldown.input_column_map_text(input) ~ "'" if input['column_map'] else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as source_columns
    {% if not loop.last -%}
    union all
    {% endif -%}
    {%- endfor %}

),

final as (

    select
        entity,
        rows_read,
        rows_staged,
        rows_quarantined,
        rows_read = rows_staged + rows_quarantined as is_reconciled,
        rows_unmatched,
        source_table,
        source_status,
        source_columns
    from counts

)

select * from final
