{{ config(schema='quarantine') }}

{#- Rows read from each input = rows staged + rows quarantined. Rows read are counted on the raw
    tables themselves, independently of the base models, so a row lost anywhere shows up here.
    rows_unmatched: the staged rows not linked to a known customer, for the inputs where that is allowed
    (social mentions without a matched customer: kept and counted, never dropped); null for the others. -#}
{%- set entities = [
    ('orders', source('shop', 'raw_orders'), ref('stg_shop__orders'), ref('quarantine_orders')),
    ('customers', source('shop', 'raw_customers'), ref('stg_shop__customers'), ref('quarantine_customers')),
    ('campaigns', source('shop', 'raw_campaigns'), ref('stg_shop__campaigns'), ref('quarantine_campaigns')),
    ('campaign_contacts', source('shop', 'raw_campaign_contacts'), ref('stg_shop__campaign_contacts'), ref('quarantine_campaign_contacts')),
    ('campaign_plans', source('shop', 'raw_campaign_plans'), ref('stg_shop__campaign_plans'), ref('quarantine_campaign_plans')),
    ('order_lines', source('shop', 'raw_order_lines'), ref('stg_shop__order_lines'), ref('quarantine_order_lines')),
    ('social_mentions', source('shop', 'raw_social_mentions'), ref('stg_shop__social_mentions'), ref('quarantine_social_mentions')),
] -%}
{%- set unmatched_conditions = {'social_mentions': 'not is_matched_customer'} -%}

with

counts as (

    {% for entity, raw_relation, staged_relation, quarantined_relation in entities -%}
    select
        '{{ entity }}' as entity,
        {{ drilldown.source_row_count(raw_relation) }} as rows_read,
        (select count(*) from {{ staged_relation }}) as rows_staged,
        (select count(*) from {{ quarantined_relation }}) as rows_quarantined,
        {% if entity in unmatched_conditions -%}
        (
            select count(*) from {{ staged_relation }}
            where {{ unmatched_conditions[entity] }}
        )
        {%- else -%}
        cast(null as bigint)
        {%- endif %} as rows_unmatched
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
        rows_unmatched
    from counts

)

select * from final
