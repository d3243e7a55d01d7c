{{ config(schema='quarantine') }}

{#- Rows read from each input = rows staged + rows quarantined. Rows read are counted on the raw
    tables themselves, independently of the base models, so a row lost anywhere shows up here. -#}
{%- set entities = [
    ('orders', source('shop', 'raw_orders'), ref('stg_shop__orders'), ref('quarantine_orders')),
    ('customers', source('shop', 'raw_customers'), ref('stg_shop__customers'), ref('quarantine_customers')),
    ('campaigns', source('shop', 'raw_campaigns'), ref('stg_shop__campaigns'), ref('quarantine_campaigns')),
    ('campaign_contacts', source('shop', 'raw_campaign_contacts'), ref('stg_shop__campaign_contacts'), ref('quarantine_campaign_contacts')),
    ('campaign_plans', source('shop', 'raw_campaign_plans'), ref('stg_shop__campaign_plans'), ref('quarantine_campaign_plans')),
    ('order_lines', source('shop', 'raw_order_lines'), ref('stg_shop__order_lines'), ref('quarantine_order_lines')),
] -%}

with

counts as (

    {% for entity, raw_relation, staged_relation, quarantined_relation in entities -%}
    select
        '{{ entity }}' as entity,
        {{ drilldown.source_row_count(raw_relation) }} as rows_read,
        (select count(*) from {{ staged_relation }}) as rows_staged,
        (select count(*) from {{ quarantined_relation }}) as rows_quarantined
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
        rows_read = rows_staged + rows_quarantined as is_reconciled
    from counts

)

select * from final
