{#- Trip wires: per latency frequency segment × purchase number, the gap (in days between purchase days)
    after which a customer is late. Every segment × purchase number has a row; thin cells borrow the
    all-segment figure (trip_wire_source says which). See docs/decisions.md#latency. -#}
{%- set max_purchase_number = drilldown.project_var('latency_max_purchase_number') -%}
{%- set multiplier = drilldown.project_var('latency_trip_wire_multiplier') -%}
{%- set percentile = drilldown.project_var('latency_trip_wire_percentile') -%}
{%- set lapsed_multiplier = drilldown.project_var('latency_lapsed_multiplier') -%}
{%- set min_gaps = drilldown.project_var('latency_min_gaps_per_trip_wire') -%}
{%- set ordinals = {1: 'st', 2: 'nd', 3: 'rd'} -%}
{%- set trip_wire_expression = 'avg(gap_days) * ' ~ multiplier if percentile is none
    else 'percentile_cont(' ~ percentile ~ ') within group (order by gap_days)' -%}

with

purchase_days as (

    select * from {{ ref('int_customer_purchase_days') }}

),

customer_measures as (

    select * from {{ ref('int_customer_as_of_measures') }}

),

customer_segments as (

    select
        customer_id,
        frequency_segment
    from customer_measures
    where purchase_days >= 2

),

gaps as (

    select
        customer_segments.frequency_segment as customer_segment,
        {#- The gap that ends at purchase n starts at purchase n - 1; late purchase numbers are pooled. -#}
        least(purchase_days.purchase_number - 1, {{ max_purchase_number }}) as from_purchase_number,
        cast(purchase_days.days_since_previous_purchase as {{ drilldown.type_double() }}) as gap_days
    from purchase_days
    inner join customer_segments
        on purchase_days.customer_id = customer_segments.customer_id
    where purchase_days.purchase_number >= 2

),

gap_stats as (

    {#- Per segment, then over all segments ('all'); the median needs the gaps, so two aggregations. #}
    {% for segment_column in ['customer_segment', "'all'"] -%}
    select
        {{ segment_column }} as frequency_segment,
        from_purchase_number,
        count(*) as gaps_observed,
        avg(gap_days) as avg_gap_days,
        percentile_cont(0.5) within group (order by gap_days) as median_gap_days,
        {{ trip_wire_expression }} as trip_wire_days
    from gaps
    group by {% if loop.first %}customer_segment, {% endif %}from_purchase_number
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

grid as (

    {% for segment in ['heavy', 'moderate', 'light', 'all'] -%}
    {%- set segment_loop = loop -%}
    {%- for number in range(1, max_purchase_number + 1) -%}
    select
        '{{ segment }}' as frequency_segment,
        {{ number }} as from_purchase_number,
        {%- if number < max_purchase_number %}
        {{ number + 1 }} as to_purchase_number,
        '{{ number ~ ordinals.get(number if number < 20 else number % 10, "th") ~ "→" ~ (number + 1)
            ~ ordinals.get(number + 1 if number + 1 < 20 else (number + 1) % 10, "th") }}' as gap_label
        {%- else %}
        null as to_purchase_number,
        '{{ number ~ ordinals.get(number if number < 20 else number % 10, "th") ~ "+→next" }}' as gap_label
        {%- endif %}
    {% if not (segment_loop.last and loop.last) %}union all
    {% endif -%}
    {%- endfor -%}
    {%- endfor %}

),

all_segments as (

    select * from gap_stats
    where frequency_segment = 'all'

),

last_observed as (

    select * from all_segments
    where from_purchase_number = (select max(observed.from_purchase_number) from all_segments as observed)

),

filled as (

    select
        grid.frequency_segment,
        grid.from_purchase_number,
        grid.to_purchase_number,
        grid.gap_label,
        coalesce(own.gaps_observed, 0) as gaps_observed,
        own.avg_gap_days,
        own.median_gap_days,
        case
            when own.gaps_observed >= {{ min_gaps }} then 'observed'
            when all_segments.gaps_observed >= 1 then 'all_segments'
            when last_observed.gaps_observed >= 1 then 'all_segments_last_observed_purchase_number'
        end as trip_wire_source,
        case
            when own.gaps_observed >= {{ min_gaps }} then own.avg_gap_days
            when all_segments.gaps_observed >= 1 then all_segments.avg_gap_days
            else last_observed.avg_gap_days
        end as expected_gap_days,
        case
            when own.gaps_observed >= {{ min_gaps }} then own.trip_wire_days
            when all_segments.gaps_observed >= 1 then all_segments.trip_wire_days
            else last_observed.trip_wire_days
        end as trip_wire_days
    from grid
    left join gap_stats as own
        on
            grid.frequency_segment = own.frequency_segment
            and grid.from_purchase_number = own.from_purchase_number
    left join all_segments
        on grid.from_purchase_number = all_segments.from_purchase_number
    {#- One row (or none, when nobody has bought twice): the fallback for every cell. #}
    left join last_observed
        on 1 = 1

),

final as (

    select
        cast(frequency_segment as {{ dbt.type_string() }}) as frequency_segment,
        cast(from_purchase_number as integer) as from_purchase_number,
        cast(to_purchase_number as integer) as to_purchase_number,
        cast(gap_label as {{ dbt.type_string() }}) as gap_label,
        cast(gaps_observed as integer) as gaps_observed,
        cast(avg_gap_days as {{ drilldown.type_double() }}) as avg_gap_days,
        cast(median_gap_days as {{ drilldown.type_double() }}) as median_gap_days,
        cast(trip_wire_source as {{ dbt.type_string() }}) as trip_wire_source,
        cast(expected_gap_days as {{ drilldown.type_double() }}) as expected_gap_days,
        cast(trip_wire_days as {{ drilldown.type_double() }}) as trip_wire_days,
        cast(trip_wire_days * {{ lapsed_multiplier }} as {{ drilldown.type_double() }}) as lapsed_after_days
    from filled

)

select * from final
