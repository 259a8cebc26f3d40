package dev.globalevents.grafana;

/**
 * One query of one panel, as the dashboard file has it.
 *
 * @param dashboardUid the dashboard's stable uid
 * @param panelId      the panel's id (stable: the live page and alert annotations refer to it)
 * @param title        the panel's title
 * @param type         the panel type (timeseries, stat, table, …)
 * @param unit         the panel's unit ({@code fieldConfig.defaults.unit})
 * @param refId        the query's refId
 * @param format       the plugin's format: 0 time series, 1 table
 * @param rawSql       the SQL with Grafana's variables and the plugin's macros not yet expanded
 */
public record PanelQuery(String dashboardUid, int panelId, String title, String type, String unit, String refId, int format, String rawSql) {

	public boolean timeSeries() {
		return format == 0;
	}
}
