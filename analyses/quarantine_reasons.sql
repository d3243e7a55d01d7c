-- Ad-hoc: how many rows each quarantine reason caught, per input entity.
-- `dbt compile --select quarantine_reasons` then run target/compiled/.../quarantine_reasons.sql.

with

orders as (

    select
        'orders' as entity,
        quarantine_reasons
    from {{ ref('quarantine_orders') }}

),

customers as (

    select
        'customers' as entity,
        quarantine_reasons
    from {{ ref('quarantine_customers') }}

),

campaigns as (

    select
        'campaigns' as entity,
        quarantine_reasons
    from {{ ref('quarantine_campaigns') }}

),

contacts as (

    select
        'campaign_contacts' as entity,
        quarantine_reasons
    from {{ ref('quarantine_campaign_contacts') }}

),

unioned as (

    select * from orders
    union all
    select * from customers
    union all
    select * from campaigns
    union all
    select * from contacts

),

final as (

    select
        entity,
        quarantine_reasons,
        count(*) as quarantined_rows
    from unioned
    group by entity, quarantine_reasons

)

select * from final
order by entity asc, quarantined_rows desc
