{#- The customers an incremental per-customer model recomputes on a rerun (docs/decisions.md#incremental-runs):
    a select of customer_id (may repeat) for
      - every customer with a completed order on or after high_water_date (the latest purchase day the
        model already holds; orders on that day are recomputed too, so a day loaded in two parts is exact);
      - every customer with a row (valid or quarantined) of an order_id given more than once: the
        duplicate rule keeps the earliest copy, so a new copy can move an old order to another customer.
    high_water_date: a SQL expression giving a date (a scalar subquery on {{ this }}); null = no orders yet. -#}
{% macro customers_to_refresh(high_water_date) -%}
    {%- if high_water_date is none or high_water_date | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.customers_to_refresh: high_water_date is required") }}
    {%- endif -%}
    {{ return(adapter.dispatch('customers_to_refresh', 'drilldown')(high_water_date)) }}
{%- endmacro %}

{% macro default__customers_to_refresh(high_water_date) -%}
    select customer_id
    from {{ ref('stg_shop__orders') }}
    where is_completed
        and order_date >= coalesce({{ high_water_date }}, cast('1900-01-01' as date))
    union
    select customer_id
    from {{ ref('base_shop__orders') }}
    where customer_id is not null
        and order_id in (
            select order_id from {{ ref('base_shop__orders') }}
            where quarantine_reasons like '%duplicate_order_id%'
        )
{%- endmacro %}

{#- Post-hook of the incremental per-customer models: delete + insert only replaces customers that still
    have rows, so a customer left with no completed order (its only order superseded by an earlier copy
    under another customer) is deleted here. Only the customers of repeated order_ids can be in that case. -#}
{% macro delete_customers_without_orders() -%}
    {{ return(adapter.dispatch('delete_customers_without_orders', 'drilldown')()) }}
{%- endmacro %}

{% macro default__delete_customers_without_orders() -%}
    {%- if is_incremental() -%}
    {%- set repeated_order_customers -%}
        select customer_id
        from {{ ref('base_shop__orders') }}
        where customer_id is not null
            and order_id in (
                select order_id from {{ ref('base_shop__orders') }}
                where quarantine_reasons like '%duplicate_order_id%'
            )
    {%- endset %}
    delete from {{ this }}
    where customer_id in ({{ repeated_order_customers }})
    and customer_id not in (
        {#- only those customers' orders: no hash table over every order -#}
        select customer_id from {{ ref('stg_shop__orders') }}
        where is_completed
            and customer_id in ({{ repeated_order_customers }})
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
