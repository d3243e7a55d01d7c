{#- Every raw customer row, typed, with the reasons it cannot be used. customers is optional as a whole. -#}
{%- set input = drilldown.input_source('raw_customers') -%}
{%- set kinds = input['kinds'] -%}

with

source as (

    {#- Every column of the input contract (_staging__sources.yml) as raw_<name>, from the user's table and
        columns (vars drilldown_*), null when an optional column is absent; no row when the input is not read. -#}
    {{ drilldown.input_source_select(input) }}

),

typed as (

    {#- A typed raw column (Parquet) is used as it is, not printed to text and parsed back. -#}
    select
        {{ drilldown.trimmed_text('raw_customer_id', kinds.get('customer_id')) }} as customer_id,
        {{ drilldown.trimmed_raw('raw_acquired_at', kinds.get('acquired_at')) }} as acquired_at_value,
        {{ drilldown.parse_raw('raw_acquired_at', 'timestamp', kinds.get('acquired_at')) }} as acquired_at,
        lower({{ drilldown.trimmed_text('raw_acquisition_source', kinds.get('acquisition_source')) }}) as acquisition_source,
        lower({{ drilldown.trimmed_text('raw_region', kinds.get('region')) }}) as region,
        raw_customer_id,
        raw_acquired_at,
        raw_acquisition_source,
        raw_region
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
            ("unparseable_acquired_at", "acquired_at_value is not null and acquired_at is null"),
        ], input) }} as quarantine_reasons
    from ranked

),

final as (

    {#- The raw values as text, for the quarantine table, only on quarantined rows. -#}
    select
        customer_id,
        acquired_at,
        acquisition_source,
        region,
        {{ drilldown.raw_text_when_quarantined(['customer_id', 'acquired_at', 'acquisition_source', 'region']) }},
        quarantine_reasons
    from checked

)

select * from final
