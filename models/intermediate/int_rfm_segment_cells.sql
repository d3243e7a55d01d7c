{#- The rfm_segments seed expanded to one row per RFM cell (125 rows when the mapping is complete):
    every model maps a cell to its segment by joining here on rfm_cell. -#}

with

segments as (

    select * from {{ ref('rfm_segments') }}

),

scores as (

    {% for score in range(1, 6) -%}
    select {{ score }} as score
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

cells as (

    select
        r_scores.score as r_score,
        f_scores.score as f_score,
        m_scores.score as m_score
    from scores as r_scores
    cross join scores as f_scores
    cross join scores as m_scores

),

final as (

    select
        cells.r_score,
        cells.f_score,
        cells.m_score,
        cast(cells.r_score as {{ dbt.type_string() }})
        || cast(cells.f_score as {{ dbt.type_string() }})
        || cast(cells.m_score as {{ dbt.type_string() }}) as rfm_cell,
        segments.rfm_segment,
        segments.segment_order as rfm_segment_order,
        segments.description as rfm_segment_description
    from cells
    left join segments
        on
            cells.r_score between segments.r_score_min and segments.r_score_max
            and cells.f_score between segments.f_score_min and segments.f_score_max
            and cells.m_score between segments.m_score_min and segments.m_score_max

)

select * from final
