{#- A per-poster mean shrunk toward its empirical-Bayes prior (docs/decisions.md#advocate-shrinkage):
    prior_mean + Z (mean - prior_mean), credibility Z = n / (n + k) under shrinkage_rule 'credibility',
    1 under 'none', 0 under 'full' and for a poster without a value (n = 0: the prior mean).
    mean, value_count: expressions of the poster's mean and number of values; prior: the alias of its
    int_advocate_priors row (prior_mean, prior_mentions, shrinkage_rule). Null when the prior is (no data). -#}
{% macro shrunk_mean(mean, value_count, prior) -%}
    {%- for argument in [mean, value_count, prior] if argument is none or argument | string | trim == '' -%}
        {{ exceptions.raise_compiler_error("drilldown.shrunk_mean: mean, value_count and prior are required") }}
    {%- endfor -%}
    {{ prior }}.prior_mean
    + case
        when {{ value_count }} = 0 or {{ prior }}.shrinkage_rule = 'full' then 0
        when {{ prior }}.shrinkage_rule = 'none' then 1
        else {{ value_count }} / ({{ value_count }} + {{ prior }}.prior_mentions)
    end
    * (coalesce({{ mean }}, {{ prior }}.prior_mean) - {{ prior }}.prior_mean)
{%- endmacro %}
