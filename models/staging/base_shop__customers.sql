{#- Every raw customer row, typed, with the reasons it cannot be used. customers is optional as a whole. -#}
{%- set relation = source('shop', 'raw_customers') -%}
{%- set columns = drilldown.source_columns(relation, 'customers', ['customer_id'], is_optional=true) -%}

with

source as (

    select
        {{ drilldown.column_or_null(columns, 'customer_id') }} as raw_customer_id,
        {{ drilldown.column_or_null(columns, 'acquired_at') }} as raw_acquired_at,
        {{ drilldown.column_or_null(columns, 'acquisition_source') }} as raw_acquisition_source,
        {{ drilldown.column_or_null(columns, 'region') }} as raw_region
    from {{ drilldown.source_or_empty(relation, columns) }}

),

typed as (

    select
        nullif(trim(cast(raw_customer_id as {{ dbt.type_string() }})), '') as customer_id,
        {{ drilldown.parse_raw('raw_acquired_at', 'timestamp') }} as acquired_at,
        lower(nullif(trim(cast(raw_acquisition_source as {{ dbt.type_string() }})), '')) as acquisition_source,
        lower(nullif(trim(cast(raw_region as {{ dbt.type_string() }})), '')) as region,
        cast(raw_customer_id as {{ dbt.type_string() }}) as raw_customer_id,
        cast(raw_acquired_at as {{ dbt.type_string() }}) as raw_acquired_at,
        cast(raw_acquisition_source as {{ dbt.type_string() }}) as raw_acquisition_source,
        cast(raw_region as {{ dbt.type_string() }}) as raw_region
    from source

),

ranked as (

    select
        *,
        {#- Duplicate rule: the copy with the earliest acquired_at is kept. -#}
        row_number() over (
            partition by customer_id
            order by acquired_at, acquisition_source, region, raw_acquired_at
        ) as customer_id_copy_number
    from typed

),

checked as (

    select
        customer_id,
        acquired_at,
        coalesce(acquisition_source, 'unknown') as acquisition_source,
        region,
        raw_customer_id,
        raw_acquired_at,
        raw_acquisition_source,
        raw_region,
        {{ drilldown.concat_reasons([
            ("null_customer_id", "customer_id is null"),
            ("duplicate_customer_id", "customer_id is not null and customer_id_copy_number > 1"),
            ("unparseable_acquired_at", "nullif(trim(raw_acquired_at), '') is not null and acquired_at is null"),
        ]) }} as quarantine_reasons
    from ranked

)

select * from checked
